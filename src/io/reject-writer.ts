import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One JSON line per rejected input or dropped/failed document: nothing is lost silently. */
export interface RejectRecord {
  readonly stage: string;
  readonly reason: string;
  readonly detail: string;
  readonly docId?: string;
  readonly file?: string;
  readonly record?: number | null;
  readonly raw?: string;
}

export class RejectWriter {
  private count = 0;
  private constructor(readonly path: string) {}

  static async open(path: string): Promise<RejectWriter> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '');
    return new RejectWriter(path);
  }

  async write(record: RejectRecord): Promise<void> {
    this.count++;
    await appendFile(this.path, JSON.stringify(record) + '\n');
  }

  get written(): number {
    return this.count;
  }
}
