import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../util/errors.ts';
import { commandLineOf } from './processes.ts';

/** One `stack` command at a time per state folder; a lock left by a dead process is taken over. */
export function acquireLock(path: string): () => void {
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(holder) && holder !== process.pid && commandLineOf(holder) !== undefined) {
      throw new UserError(`another \`entropylong stack\` command (pid ${holder}) is running on ${dirname(path)}; wait for it, or remove ${path} if it is stale`);
    }
    writeFileSync(path, String(process.pid));
  }
  return () => rmSync(path, { force: true });
}
