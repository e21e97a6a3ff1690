import { join } from 'node:path';
import { cachedInPlace } from './cache.ts';
import { runLogged } from './logged-command.ts';
import type { Progress } from './progress.ts';
import { formatBytes, formatSeconds } from './progress.ts';
import { requirePythonWithVenv } from './tools.ts';

export const venvBin = (venv: string, name: string): string => join(venv, 'bin', name);

/**
 * A virtualenv in the cache holding exactly `requirements` (pinned `name==version`), installed
 * from PyPI with pip; pip's output goes to `logPath`.
 */
export async function ensureVenv(service: string, venv: string, requirements: readonly string[], logPath: string, progress: Progress): Promise<void> {
  const started = Date.now();
  const outcome = await cachedInPlace(venv, async (dir) => {
    const python = requirePythonWithVenv();
    progress.step(service, `fetching ${requirements.join(' ')} from PyPI into ${dir} (log: ${logPath})`);
    await runLogged(`creating the virtualenv ${dir}`, python, ['-m', 'venv', dir], { logPath });
    const got = await runLogged(`pip install ${requirements.join(' ')}`, venvBin(dir, 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', ...requirements], {
      logPath,
      report: (line) => progress.step(service, line),
    });
    progress.step(service, `installed ${requirements.join(' ')} (${got.files} files, ${formatBytes(got.bytes)} downloaded) in ${formatSeconds(Date.now() - started)}`);
  });
  if (outcome === 'cached') progress.step(service, `using cached ${requirements.join(' ')} (${venv})`);
}
