import { join } from 'node:path';
import { runLogged } from './logged-command.ts';
import { requireTool } from './tools.ts';

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs Maven in batch mode against a Maven repository inside the cache folder (so one cache
 * folder holds everything and a fresh clone reuses it). Calls are serialised: concurrent Maven
 * runs on one local repository can corrupt it.
 */
export function runMaven(what: string, cacheDir: string, cwd: string, args: readonly string[], options: { logPath: string; report?: (line: string) => void; javaHome?: string; onStart?: () => void }): Promise<{ files: number; bytes: number }> {
  const mvn = requireTool('mvn', 'fetching Kafka and Apicurio from Maven Central');
  const env = options.javaHome ? { ...process.env, JAVA_HOME: options.javaHome } : process.env;
  const run = (): Promise<{ files: number; bytes: number }> => {
    options.onStart?.();
    return runLogged(what, mvn, ['-B', '-V', `-Dmaven.repo.local=${join(cacheDir, 'm2')}`, ...args], { logPath: options.logPath, cwd, env, report: options.report });
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
