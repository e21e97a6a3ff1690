import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { stackEndpoints, type StackEndpoints } from '../../src/stack/endpoints.ts';

/**
 * Shared by integration tests: proves the local stack answers before a test runs (failing with
 * the command that starts it), and hands out names no other test or run uses.
 */
export type StackService = 'kafka' | 'registry' | 'milvus';

const hint = 'run `npm run stack:up` first (`npm run stack:status` shows what is up)';

function tcpAnswers(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

function hostPort(address: string, defaultPort: number): { host: string; port: number } {
  const bare = address.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '';
  const [host, port] = bare.split(':');
  return { host: host || '127.0.0.1', port: port ? Number(port) : defaultPort };
}

async function answers(service: StackService, e: StackEndpoints): Promise<string | undefined> {
  switch (service) {
    case 'kafka': {
      const broker = e.kafkaBrokers[0] ?? '127.0.0.1:9092';
      const { host, port } = hostPort(broker, 9092);
      return (await tcpAnswers(host, port)) ? undefined : `Kafka does not answer at ${broker}`;
    }
    case 'registry': {
      const ok = await fetch(`${e.registryUrl}/subjects`, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok, () => false);
      return ok ? undefined : `the schema registry does not answer at ${e.registryUrl}`;
    }
    case 'milvus': {
      const { host, port } = hostPort(e.milvusAddress, 19530);
      return (await tcpAnswers(host, port)) ? undefined : `Milvus does not answer at ${e.milvusAddress}`;
    }
  }
}

/** Resolves with the endpoints when every named service answers; otherwise throws one line saying what to run. */
export async function requireStack(services: readonly StackService[] = ['kafka', 'registry', 'milvus']): Promise<StackEndpoints> {
  const endpoints = stackEndpoints();
  const problems = (await Promise.all(services.map((s) => answers(s, endpoints)))).filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new Error(`${problems.join('; ')}: ${hint}`);
  return endpoints;
}

const suffix = (): string => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** A topic prefix unique to this test (`it-<label>-<suffix>.`). */
export const uniqueTopicPrefix = (label: string): string => `it-${label.replace(/[^A-Za-z0-9_-]/g, '-')}-${suffix()}.`;

/** A Milvus collection name unique to this test (letters, digits, underscores). */
export const uniqueCollection = (label: string): string => `it_${label.replace(/[^A-Za-z0-9_]/g, '_')}_${suffix()}`;
