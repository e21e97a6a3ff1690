import { open, rename, rm, type FileHandle } from 'node:fs/promises';

/**
 * Writes `path` through `write` under a temporary name in the same folder and renames it into
 * place only when `write` and the close succeed, so a reader never sees a partial file; on any
 * error the temporary file is removed and the error rethrown.
 */
export async function writeFileAtomically(path: string, write: (fh: FileHandle) => Promise<void>): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    await write(fh);
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
