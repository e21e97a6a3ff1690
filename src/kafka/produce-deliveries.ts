import { from, map, mergeMap, type OperatorFunction } from 'rxjs';
import kafkajs, { type Message, type Producer } from 'kafkajs';
import type { SourceCoordinates } from '../domain/index.ts';
import { classifyKafkaError } from './kafka-client.ts';
import type { Delivery } from './outgoing.ts';

// kafkajs is CommonJS; Node's ESM loader does not see this enum as a named export.
const { CompressionTypes } = kafkajs;

export interface ProduceOptions {
  /** Deliveries in flight at once; 1 keeps the output in input order. @default 1 */
  readonly concurrency?: number;
}

/**
 * The producer sink: sends each delivery's records (gzip, acks from all in-sync replicas; kafkajs
 * retries retriable errors with backoff), and only then reports its `completes` to `onProduced`
 * (a KafkaSource's `complete`, so their offsets become committable). Emits each delivery once
 * acknowledged. A send that still fails after retries errors the stream: the process is
 * unhealthy and its supervisor restarts it; uncommitted messages are then consumed again.
 */
export function produceDeliveries(producer: Producer, onProduced: (source: SourceCoordinates) => void, options: ProduceOptions = {}): OperatorFunction<Delivery, Delivery> {
  return mergeMap((delivery: Delivery) => from(send(producer, delivery)).pipe(map(() => {
    for (const source of delivery.completes) onProduced(source);
    return delivery;
  })), options.concurrency ?? 1);
}

async function send(producer: Producer, delivery: Delivery): Promise<void> {
  if (delivery.records.length === 0) return;
  const byTopic = new Map<string, Message[]>();
  for (const r of delivery.records) {
    const list = byTopic.get(r.topic) ?? [];
    list.push({ key: r.key, value: r.value, ...(r.headers ? { headers: { ...r.headers } } : {}) });
    byTopic.set(r.topic, list);
  }
  try {
    await producer.sendBatch({ acks: -1, compression: CompressionTypes.GZIP, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  } catch (e) {
    throw classifyKafkaError(e, `producing to ${[...byTopic.keys()].join(', ')}`);
  }
}
