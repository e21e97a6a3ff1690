import { Observable } from 'rxjs';
import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import type { Envelope, SourceCoordinates } from '../domain/index.ts';
import { classifyKafkaError } from './kafka-client.ts';
import { OffsetTracker } from './offset-tracker.ts';

export interface KafkaSourceOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts. @default true */
  readonly fromBeginning?: boolean;
  /** Messages delivered and not yet completed before the consumer waits. @default 256 */
  readonly maxInFlight?: number;
  /** How often completed offsets are committed; 0 commits on every completion. @default 1000 */
  readonly commitIntervalMs?: number;
  /** @default 30000 */
  readonly sessionTimeoutMs?: number;
}

/**
 * A Kafka consumer as an Observable, with at-least-once delivery.
 *
 * Offsets are committed only for messages passed to `complete` — call it once every record
 * derived from the message has been produced (or it was dropped or dead-lettered). Commits are
 * per partition up to the longest completed prefix (see OffsetTracker), every
 * `commitIntervalMs` and once more when the subscription ends. Unfinished messages are delivered
 * again after a restart or a rebalance. At most `maxInFlight` messages are outstanding: the
 * consumer stops fetching (while keeping its group heartbeat) until some complete.
 *
 * Subscribing connects and joins the group; unsubscribing commits and disconnects. A consumer
 * crash kafkajs does not restart by itself is an error of the stream.
 */
export interface KafkaSource {
  readonly messages$: Observable<Envelope<Buffer>>;
  complete(source: SourceCoordinates): void;
  /** Messages delivered and not yet completed. */
  readonly outstanding: number;
  /** Resolves once the last subscription's final commit and disconnect have finished. */
  stopped(): Promise<void>;
}

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
const coordinateKey = (s: SourceCoordinates): string => `${partitionKey(s.topic, s.partition)}\u0000${s.offset}`;

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (last !== undefined) out[k] = last.toString();
  }
  return out;
}

export function kafkaSource(kafka: Kafka, options: KafkaSourceOptions): KafkaSource {
  const maxInFlight = options.maxInFlight ?? 256;
  let tracker = new OffsetTracker();
  const outstanding = new Set<string>();
  let wake: (() => void) | undefined;
  let commitNow: (() => void) | undefined;
  let stopping: Promise<void> = Promise.resolve();

  const messages$ = new Observable<Envelope<Buffer>>((subscriber) => {
    // A new subscription is a new group member: it starts from the committed offsets.
    tracker = new OffsetTracker();
    outstanding.clear();
    const consumer: Consumer = kafka.consumer({ groupId: options.groupId, sessionTimeout: options.sessionTimeoutMs ?? 30_000 });
    let closed = false;
    let committing: Promise<void> = Promise.resolve();

    const commit = (): Promise<void> => {
      committing = committing.then(async () => {
        const offsets = tracker.takeCommittable();
        if (offsets.length === 0) return;
        try {
          await consumer.commitOffsets([...offsets]);
        } catch (e) {
          tracker.uncommit(offsets);
          if (!closed) subscriber.error(classifyKafkaError(e, `committing offsets of group ${options.groupId}`));
        }
      });
      return committing;
    };
    const interval = options.commitIntervalMs ?? 1_000;
    const timer = interval > 0 ? setInterval(() => void commit(), interval) : undefined;
    commitNow = interval > 0 ? undefined : () => void commit();

    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const owned = Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
      tracker.retainOnly(owned);
      // Messages of revoked partitions go to their new owner; they no longer count as in flight here.
      const ownedKeys = new Set(owned.map((o) => partitionKey(o.topic, o.partition)));
      for (const key of [...outstanding]) if (!ownedKeys.has(key.slice(0, key.lastIndexOf('\u0000')))) outstanding.delete(key);
      wake?.();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart && !closed) subscriber.error(classifyKafkaError(event.payload.error, `consumer of group ${options.groupId} crashed`));
    });

    const start = async (): Promise<void> => {
      await consumer.connect();
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          while (outstanding.size >= maxInFlight && !closed) {
            await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, 1_000); });
            await heartbeat();
          }
          if (closed) return;
          const source: SourceCoordinates = { topic, partition, offset: message.offset };
          tracker.received(topic, partition, message.offset);
          outstanding.add(coordinateKey(source));
          const value = message.value ?? Buffer.alloc(0);
          subscriber.next({ key: message.key?.toString() ?? '', value, source, raw: value, headers: headersToStrings(message.headers) });
        },
      });
    };
    start().catch((e: unknown) => { if (!closed) subscriber.error(classifyKafkaError(e, `starting the consumer of group ${options.groupId} on ${options.topics.join(', ')}`)); });

    return () => {
      closed = true;
      if (timer) clearInterval(timer);
      wake?.();
      stopping = commit().finally(() => consumer.disconnect()).catch(() => undefined);
    };
  });

  return {
    messages$,
    complete(source) {
      if (!outstanding.delete(coordinateKey(source))) return;
      tracker.completed(source.topic, source.partition, source.offset);
      wake?.();
      commitNow?.();
    },
    get outstanding() { return outstanding.size; },
    stopped: () => stopping,
  };
}
