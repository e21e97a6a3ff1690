import type { TopicSpec } from './topic-spec.ts';

/** A topic as the cluster has it now. `configs` holds the values of the keys we manage. */
export interface TopicState {
  readonly name: string;
  readonly partitions: number;
  readonly replication: number;
  readonly configs: Readonly<Record<string, string | undefined>>;
}

export interface ConfigChange { readonly key: string; readonly from: string | undefined; readonly to: string }

export type TopicAction =
  | { readonly kind: 'create'; readonly spec: TopicSpec; readonly configs: Readonly<Record<string, string>> }
  | { readonly kind: 'reconcile'; readonly spec: TopicSpec; readonly configs: Readonly<Record<string, string>>; readonly changes: readonly ConfigChange[]; readonly partitionsFrom?: number }
  | { readonly kind: 'unchanged'; readonly spec: TopicSpec }
  | { readonly kind: 'refused'; readonly spec: TopicSpec; readonly reason: string };

/** The Kafka topic configs a spec manages; alterConfigs sets exactly these. */
export const managedConfigKeys = ['cleanup.policy', 'compression.type', 'max.message.bytes', 'retention.ms'] as const;

export function managedConfigs(spec: TopicSpec): Record<string, string> {
  return {
    'cleanup.policy': spec.cleanupPolicy,
    'compression.type': spec.compression,
    'max.message.bytes': String(spec.maxMessageBytes),
    'retention.ms': String(spec.retentionMs),
  };
}

/**
 * What to do for each declared topic, given the cluster's state. Partitions only grow (Kafka
 * cannot shrink them) and the replication factor is not changed by this tool: either difference
 * is a refusal naming the topic and the file.
 */
export function planTopics(specs: readonly TopicSpec[], current: ReadonlyMap<string, TopicState>): TopicAction[] {
  return specs.map((spec): TopicAction => {
    const configs = managedConfigs(spec);
    const state = current.get(spec.name);
    if (!state) return { kind: 'create', spec, configs };
    if (state.partitions > spec.partitions) {
      return { kind: 'refused', spec, reason: `${spec.file}: field 'partitions' asks ${spec.partitions} but topic '${spec.name}' has ${state.partitions}; Kafka cannot remove partitions (raise the file to ${state.partitions}, or delete and recreate the topic)` };
    }
    if (state.replication !== spec.replication) {
      return { kind: 'refused', spec, reason: `${spec.file}: field 'replication' asks ${spec.replication} but topic '${spec.name}' has ${state.replication}; changing it needs a partition reassignment (kafka-reassign-partitions), which this tool does not do` };
    }
    const changes = Object.entries(configs)
      .filter(([key, value]) => state.configs[key] !== value)
      .map(([key, to]) => ({ key, from: state.configs[key], to }));
    const partitionsFrom = state.partitions < spec.partitions ? state.partitions : undefined;
    if (changes.length === 0 && partitionsFrom === undefined) return { kind: 'unchanged', spec };
    return partitionsFrom === undefined ? { kind: 'reconcile', spec, configs, changes } : { kind: 'reconcile', spec, configs, changes, partitionsFrom };
  });
}

/** The difference as printed by `topics apply`: `+ create`, `~ config k: a → b`, `= unchanged`, `! refused`. */
export function renderPlan(actions: readonly TopicAction[]): string[] {
  const lines: string[] = [];
  for (const a of actions) {
    switch (a.kind) {
      case 'create':
        lines.push(`+ create ${a.spec.name} (partitions ${a.spec.partitions}, replication ${a.spec.replication}, ${Object.entries(a.configs).map(([k, v]) => `${k}=${v}`).join(', ')})`);
        break;
      case 'reconcile':
        lines.push(`~ ${a.spec.name}`);
        if (a.partitionsFrom !== undefined) lines.push(`  ~ partitions: ${a.partitionsFrom} → ${a.spec.partitions}`);
        for (const c of a.changes) lines.push(`  ~ config ${c.key}: ${c.from ?? '(unset)'} → ${c.to}`);
        break;
      case 'unchanged':
        lines.push(`= ${a.spec.name} unchanged`);
        break;
      case 'refused':
        lines.push(`! ${a.spec.name} refused: ${a.reason}`);
        break;
    }
  }
  return lines;
}
