import { createKafka, unreachable } from '../kafka/kafka-client.ts';
import { applyTopicActions, describeTopics } from '../kafka/topic-admin.ts';
import { UserError } from '../util/errors.ts';
import { loadTopicSpecs } from './load-topics.ts';
import { planTopics, renderPlan, type TopicAction } from './topic-plan.ts';

export interface ApplyTopicsOptions {
  readonly dir: string;
  readonly prefix?: string;
  readonly dryRun?: boolean;
  readonly brokers?: readonly string[];
}

export interface ApplyTopicsResult {
  readonly actions: readonly TopicAction[];
  /** The difference, one line per change: `+ create`, `~ config k: a → b`, `= unchanged`. */
  readonly lines: readonly string[];
  readonly applied: boolean;
}

/**
 * Validates every topic file, reads the cluster, plans, and applies unless `dryRun`. A refusal
 * (shrinking partitions, changing replication) anywhere means nothing is applied anywhere.
 */
export async function applyTopics(options: ApplyTopicsOptions): Promise<ApplyTopicsResult> {
  const specs = await loadTopicSpecs(options.dir, options.prefix ?? '');
  const { kafka, brokers } = createKafka({ retries: 2, ...(options.brokers ? { brokers: options.brokers } : {}) });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (e) {
    throw unreachable(brokers, e);
  }
  try {
    const actions = planTopics(specs, await describeTopics(admin, specs.map((s) => s.name)));
    const lines = renderPlan(actions);
    const refused = actions.filter((a) => a.kind === 'refused');
    if (refused.length > 0) throw new UserError(`${lines.join('\n')}\nnothing was applied: ${refused.length} topic(s) refused above`);
    if (options.dryRun) return { actions, lines, applied: false };
    await applyTopicActions(admin, actions);
    return { actions, lines, applied: true };
  } finally {
    await admin.disconnect();
  }
}
