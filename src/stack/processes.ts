import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What `stack up` writes for each process it starts; `down` acts only on a pid that still matches. */
export interface PidRecord {
  readonly pid: number;
  readonly service: string;
  readonly port: number;
  /** A string present in the process's command line (its state folder): proves the pid is still ours. */
  readonly marker: string;
  readonly startedAt: string;
}

export function readPidRecord(path: string): PidRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<PidRecord>;
    return typeof parsed.pid === 'number' && typeof parsed.marker === 'string' ? (parsed as PidRecord) : undefined;
  } catch {
    return undefined;
  }
}

export function writePidRecord(path: string, record: PidRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
}

export const removePidRecord = (path: string): void => rmSync(path, { force: true });

/** The command line of `pid`, or undefined when no such process exists. */
export function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    const ps = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    return ps.status === 0 && ps.stdout.trim() !== '' ? ps.stdout.trim() : undefined;
  }
}

/** Alive and still the process we started (pids get reused). A zombie counts as gone. */
export function isOurs(record: PidRecord): boolean {
  const cmd = commandLineOf(record.pid);
  if (cmd === undefined || !cmd.includes(record.marker)) return false;
  try {
    const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true;
  }
}

/** Resident memory of `pid` in bytes (Linux /proc, else ps). */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m?.[1]) return Number(m[1]) * 1024;
  } catch { /* fall through to ps */ }
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kb = Number(ps.stdout.trim());
  return ps.status === 0 && Number.isFinite(kb) && kb > 0 ? kb * 1024 : undefined;
}

/** Starts `command` detached from us (it outlives the CLI), stdout and stderr appended to `logPath`. */
export function spawnDetached(command: string, args: readonly string[], options: { logPath: string; cwd: string; env?: NodeJS.ProcessEnv }): number {
  mkdirSync(dirname(options.logPath), { recursive: true });
  const fd = openSync(options.logPath, 'a');
  try {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Never signals a pid that is not ours. */
export async function stopProcess(record: PidRecord, graceMs: number): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isOurs(record)) return 'not-running';
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isOurs(record)) return 'stopped';
    await new Promise((r) => setTimeout(r, 200));
  }
  if (isOurs(record)) process.kill(record.pid, 'SIGKILL');
  while (isOurs(record)) await new Promise((r) => setTimeout(r, 100));
  return 'killed';
}
