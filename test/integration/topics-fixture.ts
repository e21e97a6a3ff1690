import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import type { Admin } from 'kafkajs';
import type { Envelope } from '../../src/domain/index.ts';
import type { KafkaSource } from '../../src/kafka/kafka-source.ts';
import { stackEndpoints } from '../../src/stack/endpoints.ts';
import { createKafka } from '../../src/kafka/kafka-client.ts';
import { createRegistryClient } from '../../src/serde/registry-client.ts';

/**
 * Shared by the Kafka and registry integration tests: a fresh namespace per test file, a check
 * that the local stack answers (with the command that starts it), and cleanup of what a test made.
 */
export const freshPrefix = (label: string): string => `it-${label}-${randomBytes(4).toString('hex')}.`;

async function answers(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.replace(/^https?:\/\//, '').split('/')[0]?.split(':') ?? [];
  return new Promise((resolve) => {
    const socket = createConnection({ host: host ?? '127.0.0.1', port: Number(port) });
    socket.setTimeout(2_000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

export async function requireStack(): Promise<void> {
  const endpoints = stackEndpoints();
  const kafka = endpoints.kafkaBrokers[0] ?? '127.0.0.1:9092';
  if (!(await answers(kafka))) throw new Error(`Kafka does not answer at ${kafka}: start the local stack with 'npm run stack:up'`);
  if (!(await answers(endpoints.registryUrl))) throw new Error(`the schema registry does not answer at ${endpoints.registryUrl}: start the local stack with 'npm run stack:up'`);
}

export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createKafka().kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the topics and subjects under `prefix`; failures are ignored (cleanup only). */
export async function cleanUp(prefix: string): Promise<void> {
  await withAdmin(async (admin) => {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  }).catch(() => undefined);
  const { client } = createRegistryClient();
  try {
    for (const subject of (await client.getAllSubjects()).filter((s) => s.startsWith(prefix))) {
      await client.deleteSubject(subject, false).catch(() => undefined);
      await client.deleteSubject(subject, true).catch(() => undefined);
    }
  } catch {
    // cleanup only
  } finally {
    client.close();
  }
}

/** Keeps the consumer subscribed (so it can still commit) while the test works on what arrived. */
export function collect(source: KafkaSource): { seen: Envelope<Buffer>[]; waitFor(n: number): Promise<Envelope<Buffer>[]>; close(): Promise<void> } {
  const seen: Envelope<Buffer>[] = [];
  let failure: unknown;
  const sub = source.messages$.subscribe({ next: (m) => seen.push(m), error: (e: unknown) => { failure = e; } });
  return {
    seen,
    async waitFor(n) {
      const deadline = Date.now() + 30_000;
      while (seen.length < n) {
        if (failure !== undefined) throw failure;
        if (Date.now() > deadline) throw new Error(`only ${seen.length} of ${n} messages arrived in 30 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return seen.slice(0, n);
    },
    async close() {
      sub.unsubscribe();
      await source.stopped();
    },
  };
}

