import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, errorMessage } from '../util/errors.ts';
import { acquireLock } from './lock.ts';
import { portIsFree, waitUntil } from './ports.ts';
import { isOurs, readPidRecord, removePidRecord, rssOf, spawnDetached, stopProcess, writePidRecord, type PidRecord } from './processes.ts';
import { formatBytes, formatSeconds, type Progress } from './progress.ts';
import { serviceNames, type ServiceName, type StackService } from './service.ts';
import { kafkaService } from './services/kafka.ts';
import { milvusService } from './services/milvus.ts';
import { registryService } from './services/registry.ts';
import type { StackConfig } from './stack-config.ts';

export function stackServices(config: StackConfig): StackService[] {
  return [kafkaService(config), registryService(config), milvusService(config)];
}

/** The services named on the command line (all when none), or a one-line error. */
export function selectServices(config: StackConfig, names: readonly string[]): StackService[] {
  for (const n of names) {
    if (!serviceNames.includes(n as ServiceName)) throw new UserError(`stack: unknown service '${n}' (services: ${serviceNames.join(', ')})`);
  }
  return stackServices(config).filter((s) => names.length === 0 || names.includes(s.name));
}

const pidPath = (s: StackService): string => join(s.stateDir, 'pid.json');

/** Our live process for the service, clearing a stale pid file. */
function runningRecord(s: StackService): PidRecord | undefined {
  const record = readPidRecord(pidPath(s));
  if (record && isOurs(record)) return record;
  if (record) removePidRecord(pidPath(s));
  return undefined;
}

export interface UpResult {
  readonly service: ServiceName;
  readonly pid: number;
  readonly port: number;
  readonly state: 'started' | 'already running';
  readonly seconds: number;
}

/**
 * Starts what is not running, waits until each answers. Checks every port before fetching or
 * starting anything. A service that does not come up is stopped again and named with its log.
 */
export async function stackUp(config: StackConfig, services: readonly StackService[], progress: Progress): Promise<UpResult[]> {
  const release = acquireLock(join(config.stateDir, 'stack.lock'));
  try {
    const running = new Map(services.map((s) => [s.name, runningRecord(s)]));
    const toStart = services.filter((s) => running.get(s.name) === undefined);
    for (const s of toStart) {
      for (const p of s.ports) {
        if (!(await portIsFree(p.port))) {
          throw new UserError(`${s.name}: port ${p.port} on 127.0.0.1 is already in use by another process; free it or choose another port with ${p.flag} <port> (or ${p.env}=<port>)`);
        }
      }
    }
    // Each service starts as soon as its own download is done (Kafka need not wait for pip).
    const results = await Promise.allSettled(services.map(async (s): Promise<UpResult> => {
      const record = running.get(s.name);
      if (record) {
        const answers = await waitUntil(() => s.probe(), { timeoutMs: config.startTimeout * 1000, alive: () => isOurs(record) });
        if (!answers) throw new UserError(`${s.name}: running as pid ${record.pid} but not answering on port ${record.port}; see ${s.logPath} (or \`entropylong stack down ${s.name}\` and up again)`);
        progress.step(s.name, `already running (pid ${record.pid}, port ${record.port})`);
        return { service: s.name, pid: record.pid, port: record.port, state: 'already running', seconds: 0 };
      }
      await s.prepare(progress);
      return startOne(config, s, progress, Date.now());
    }));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 1) for (const f of failures.slice(1)) process.stderr.write(`entropylong: ${errorMessage(f)}\n`);
    if (failures[0] !== undefined) throw failures[0];
    return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  } finally {
    release();
  }
}

async function startOne(config: StackConfig, s: StackService, progress: Progress, started: number): Promise<UpResult> {
  const spec = await s.launchSpec(progress);
  const logStart = existsSync(s.logPath) ? readFileSync(s.logPath).length : 0;
  const pid = spawnDetached(spec.command, spec.args, { logPath: s.logPath, cwd: spec.cwd, env: spec.env });
  const port = s.ports[0]?.port ?? 0;
  const record: PidRecord = { pid, service: s.name, port, marker: s.stateDir, startedAt: new Date().toISOString() };
  writePidRecord(pidPath(s), record);
  progress.step(s.name, `started pid ${pid}, waiting for it to answer on 127.0.0.1:${port} (log: ${s.logPath})`);
  const answers = await waitUntil(() => s.probe(), { timeoutMs: config.startTimeout * 1000, alive: () => isOurs(record) });
  if (!answers) {
    const exited = !isOurs(record);
    await stopProcess(record, s.stopGraceSeconds * 1000);
    removePidRecord(pidPath(s));
    const lastError = lastErrorLine(readFileSync(s.logPath).subarray(logStart).toString('utf8'));
    throw new UserError(`${s.name} did not come up (${exited ? 'the process exited' : `no answer within ${config.startTimeout}s`})${lastError ? `: ${lastError}` : ''}; see ${s.logPath}`);
  }
  await s.warmUp?.(progress);
  progress.step(s.name, `up in ${formatSeconds(Date.now() - started)} (pid ${pid}, port ${port})`);
  return { service: s.name, pid, port, state: 'started', seconds: (Date.now() - started) / 1000 };
}

function lastErrorLine(log: string): string | undefined {
  const lines = log.split('\n').filter((l) => /\b(ERROR|FATAL|Error|Exception)\b/.test(l));
  const line = lines.at(-1)?.trim();
  return line === undefined ? undefined : line.length > 240 ? `${line.slice(0, 240)}…` : line;
}

/** Stops the processes this stack started (and only those); `purge` also deletes their data. */
export async function stackDown(config: StackConfig, services: readonly StackService[], progress: Progress, options: { purge: boolean }): Promise<void> {
  const release = acquireLock(join(config.stateDir, 'stack.lock'));
  try {
    await Promise.all(services.map(async (s) => {
      const record = readPidRecord(pidPath(s));
      if (!record) {
        progress.step(s.name, 'not running');
      } else {
        const outcome = await stopProcess(record, s.stopGraceSeconds * 1000);
        removePidRecord(pidPath(s));
        progress.step(s.name, outcome === 'not-running' ? `not running (stale pid ${record.pid} cleared)` : `${outcome} (pid ${record.pid})`);
      }
      if (options.purge && existsSync(s.stateDir)) {
        for (const entry of readdirSync(s.stateDir)) if (!entry.endsWith('.log')) rmSync(join(s.stateDir, entry), { recursive: true, force: true });
        progress.step(s.name, `deleted its data in ${s.stateDir} (logs kept)`);
      }
    }));
  } finally {
    release();
  }
}

export interface ServiceStatus {
  readonly service: ServiceName;
  readonly title: string;
  readonly state: 'up' | 'down' | 'not answering';
  readonly port: number;
  readonly pid?: number;
  readonly rssBytes?: number;
  readonly logPath: string;
}

export async function stackStatus(services: readonly StackService[]): Promise<ServiceStatus[]> {
  return Promise.all(services.map(async (s) => {
    const record = runningRecord(s);
    const port = record?.port ?? s.ports[0]?.port ?? 0;
    if (!record) return { service: s.name, title: s.title, state: 'down', port, logPath: s.logPath } as const;
    const answers = await s.probe().catch(() => false);
    return { service: s.name, title: s.title, state: answers ? 'up' : 'not answering', port, pid: record.pid, rssBytes: rssOf(record.pid), logPath: s.logPath } as const;
  }));
}

export function formatStatus(rows: readonly ServiceStatus[]): string {
  return rows
    .map((r) => `${r.service.padEnd(9)}${r.state.padEnd(14)}port ${String(r.port).padEnd(6)}${r.pid === undefined ? ''.padEnd(11) : `pid ${String(r.pid).padEnd(7)}`}${r.rssBytes === undefined ? '' : `rss ${formatBytes(r.rssBytes).padEnd(9)}`} ${r.title}`)
    .join('\n');
}

/** The last `lines` lines of each service's log. */
export function stackLogs(services: readonly StackService[], lines: number): string {
  return services
    .map((s) => {
      if (!existsSync(s.logPath)) return `==> ${s.name}: no log yet (${s.logPath})`;
      const text = readFileSync(s.logPath, 'utf8').split('\n');
      if (text.at(-1) === '') text.pop();
      return [`==> ${s.name}: ${s.logPath}`, ...text.slice(-lines)].join('\n');
    })
    .join('\n\n');
}
