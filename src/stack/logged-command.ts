import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { UserError } from '../util/errors.ts';
import { formatBytes } from './progress.ts';

/** Size figures a downloader prints in its log ("Downloaded from central: … (159 MB at …)"; pip's "Downloading x.whl (55.1 MB)"). */
const sizePattern = /(?:Downloaded from \S+: \S+ \(|Downloading \S+ \()([\d.]+) (B|kB|KB|MB|GB)/g;
const unit: Record<string, number> = { B: 1, kB: 1024, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** Files and bytes a Maven or pip log says it downloaded so far. */
export function downloadedSoFar(log: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const m of log.matchAll(sizePattern)) {
    files++;
    bytes += Number(m[1]) * (unit[m[2] ?? 'B'] ?? 1);
  }
  return { files, bytes };
}

/**
 * Runs a tool with its (verbose) output appended to `logPath`, reporting download progress every
 * few seconds through `report`. A non-zero exit throws a UserError naming the step and the log.
 */
export async function runLogged(what: string, command: string, args: readonly string[], options: { logPath: string; cwd?: string; env?: NodeJS.ProcessEnv; report?: (line: string) => void }): Promise<{ files: number; bytes: number }> {
  const start = statSafeSize(options.logPath);
  const fd = openSync(options.logPath, 'a');
  const progressNow = (): { files: number; bytes: number } => downloadedSoFar(readFileSync(options.logPath).subarray(start).toString('utf8'));
  let last = '';
  const ticker = setInterval(() => {
    const p = progressNow();
    const line = `… ${p.files} files, ${formatBytes(p.bytes)} downloaded`;
    if (p.files > 0 && line !== last) options.report?.(line);
    last = line;
  }, 3000);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', fd, fd] });
      child.once('error', (e) => reject(new UserError(`${what}: could not run ${command} (${e.message})`, { cause: e })));
      child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
    });
    if (code !== 0) throw new UserError(`${what} failed (exit ${code}); see ${options.logPath}`);
    return progressNow();
  } finally {
    clearInterval(ticker);
    closeSync(fd);
  }
}

function statSafeSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
