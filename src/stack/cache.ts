import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const marker = (dir: string): string => join(dir, '.complete');

/** True when `dir` was fully prepared (a half-finished download never counts). */
export const isCached = (dir: string): boolean => existsSync(marker(dir));

/**
 * Prepares `dir` once: `build` fills a scratch folder that is renamed into place only when it
 * succeeded, so an interrupted download is redone rather than used.
 */
export async function cachedDir(dir: string, build: (scratch: string) => Promise<void>): Promise<'cached' | 'built'> {
  if (isCached(dir)) return 'cached';
  const scratch = `${dir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    await build(scratch);
    writeFileSync(marker(scratch), `${new Date().toISOString()}\n`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(scratch, dir);
    return 'built';
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Like cachedDir for folders that cannot move once built (a virtualenv records its own path):
 * built in place, wiped and rebuilt when the marker is missing.
 */
export async function cachedInPlace(dir: string, build: (dir: string) => Promise<void>): Promise<'cached' | 'built'> {
  if (isCached(dir)) return 'cached';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    await build(dir);
    writeFileSync(marker(dir), `${new Date().toISOString()}\n`);
    return 'built';
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

export const readCachedNote = (dir: string): string | undefined => {
  try {
    return readFileSync(marker(dir), 'utf8').trim();
  } catch {
    return undefined;
  }
};
