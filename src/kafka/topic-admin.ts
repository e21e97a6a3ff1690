import kafkajs, { type Admin } from 'kafkajs';
import { classifyKafkaError } from './kafka-client.ts';
import { managedConfigKeys, type TopicAction, type TopicState } from '../topics/topic-plan.ts';

// kafkajs is CommonJS; Node's ESM loader does not see this enum as a named export.
const { ConfigResourceTypes } = kafkajs;

/** The current partitions, replication and managed configs of those topics that exist. */
export async function describeTopics(admin: Admin, names: readonly string[]): Promise<Map<string, TopicState>> {
  const existing = new Set(await admin.listTopics());
  const present = names.filter((n) => existing.has(n));
  const states = new Map<string, TopicState>();
  if (present.length === 0) return states;
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: present });
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [...managedConfigKeys] })),
    });
    for (const t of topics) {
      const resource = described.resources.find((r) => r.resourceName === t.name);
      const configs: Record<string, string> = {};
      for (const entry of resource?.configEntries ?? []) configs[entry.configName] = entry.configValue;
      states.set(t.name, {
        name: t.name,
        partitions: t.partitions.length,
        replication: Math.max(0, ...t.partitions.map((p) => p.replicas.length)),
        configs,
      });
    }
  } catch (e) {
    throw classifyKafkaError(e, `describing topics ${present.join(', ')}`);
  }
  return states;
}

/**
 * Carries out a plan. Callers refuse the whole plan when any action is `refused`; this function
 * only runs `create` and `reconcile` actions. alterConfigs replaces the topic's whole config set
 * with exactly the managed keys, which is what a declarative file means.
 */
export async function applyTopicActions(admin: Admin, actions: readonly TopicAction[]): Promise<void> {
  const creates = actions.filter((a) => a.kind === 'create');
  if (creates.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: creates.map((a) => ({
          topic: a.spec.name,
          numPartitions: a.spec.partitions,
          replicationFactor: a.spec.replication,
          configEntries: Object.entries(a.configs).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (e) {
      throw classifyKafkaError(e, `creating topics ${creates.map((a) => a.spec.name).join(', ')}`);
    }
  }
  for (const a of actions) {
    if (a.kind !== 'reconcile') continue;
    try {
      if (a.changes.length > 0) {
        await admin.alterConfigs({
          validateOnly: false,
          resources: [{ type: ConfigResourceTypes.TOPIC, name: a.spec.name, configEntries: Object.entries(a.configs).map(([name, value]) => ({ name, value })) }],
        });
      }
      if (a.partitionsFrom !== undefined) await admin.createPartitions({ topicPartitions: [{ topic: a.spec.name, count: a.spec.partitions }] });
    } catch (e) {
      throw classifyKafkaError(e, `reconciling topic ${a.spec.name} (${a.spec.file})`);
    }
  }
}
