import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../util/errors.ts';

const LOCK_FILE = '.prepare.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Holds `<modelsDir>/.prepare.lock` (created exclusively, holding our pid) while `work` runs, so
 * two processes never convert into the same folder at once. A lock whose process is gone is
 * taken over; a live one is waited for, up to `waitMs`.
 */
export async function withPrepareLock<T>(modelsDir: string, work: () => Promise<T>, opts: { waitMs?: number; onWait?: (pid: number) => void } = {}): Promise<T> {
  const path = join(modelsDir, LOCK_FILE);
  const deadline = Date.now() + (opts.waitMs ?? 30 * 60_000);
  let told = false;
  for (;;) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (!Number.isInteger(pid) || !alive(pid)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new UserError(`${path}: another process (pid ${pid}) is still preparing models; wait for it or remove the lock file if it is not running`);
      if (!told) opts.onWait?.(pid);
      told = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
