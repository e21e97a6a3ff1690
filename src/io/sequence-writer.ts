import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, writeFile, mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { AssembledSequence } from '../domain/document.ts';
import { UserError } from '../util/errors.ts';

export type OutputFormat = 'jsonl' | 'parquet';

export interface SequenceWriter {
  write(sequence: AssembledSequence): Promise<void>;
  /** Completes the file under its final name; until then it is written under a `.partial` name. */
  close(): Promise<{ path: string; sequences: number }>;
}

export function outputFormatOf(path: string): OutputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.parquet') return 'parquet';
  throw new UserError(`--out '${path}' must end in .jsonl or .parquet`);
}

/** The JSON shape of one output sequence (snake_case, as the Avro schema and trainers read it). */
export function sequenceRecord(s: AssembledSequence, withTokenIds: boolean): Record<string, unknown> {
  return {
    sequence_id: s.sequenceId,
    token_count: s.tokenCount,
    text: s.text,
    ...(withTokenIds && s.tokenIds ? { token_ids: s.tokenIds } : {}),
    segments: s.segments.map((seg) => ({
      kind: seg.kind,
      doc_id: seg.docId,
      chunk_id: seg.chunkId ?? null,
      token_start: seg.tokenStart,
      token_end: seg.tokenEnd,
      truncated_tokens: seg.truncatedTokens ?? 0,
      dependencies: (seg.dependencies ?? []).map((d) => ({ position: d.position, information_gain: d.informationGain })),
    })),
  };
}

class JsonlSequenceWriter implements SequenceWriter {
  private readonly stream: WriteStream;
  private count = 0;
  constructor(private readonly path: string, private readonly withTokenIds: boolean) {
    this.stream = createWriteStream(`${path}.partial`);
  }
  async write(sequence: AssembledSequence): Promise<void> {
    const line = JSON.stringify(sequenceRecord(sequence, this.withTokenIds)) + '\n';
    this.count++;
    if (!this.stream.write(line)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
  async close(): Promise<{ path: string; sequences: number }> {
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    await rename(`${this.path}.partial`, this.path);
    return { path: this.path, sequences: this.count };
  }
}

/** Parquet is columnar: sequences are held until close (the output of one run, not a stream). */
class ParquetSequenceWriter implements SequenceWriter {
  private readonly rows: AssembledSequence[] = [];
  constructor(private readonly path: string, private readonly withTokenIds: boolean) {}
  async write(sequence: AssembledSequence): Promise<void> {
    this.rows.push(sequence);
  }
  async close(): Promise<{ path: string; sequences: number }> {
    const records = this.rows.map((s) => sequenceRecord(s, this.withTokenIds));
    const columnData = [
      { name: 'sequence_id', data: this.rows.map((s) => s.sequenceId), type: 'STRING' as const },
      { name: 'token_count', data: this.rows.map((s) => s.tokenCount), type: 'INT32' as const },
      { name: 'text', data: this.rows.map((s) => s.text), type: 'STRING' as const },
      { name: 'segments', data: records.map((r) => JSON.stringify(r.segments)), type: 'JSON' as const },
      ...(this.withTokenIds ? [{ name: 'token_ids', data: this.rows.map((s) => JSON.stringify(s.tokenIds ?? [])), type: 'JSON' as const }] : []),
    ];
    await writeFile(`${this.path}.partial`, Buffer.from(parquetWriteBuffer({ columnData })));
    await rename(`${this.path}.partial`, this.path);
    return { path: this.path, sequences: this.rows.length };
  }
}

export async function openSequenceWriter(path: string, options: { withTokenIds: boolean }): Promise<SequenceWriter> {
  const format = outputFormatOf(path);
  await mkdir(dirname(path), { recursive: true });
  return format === 'jsonl' ? new JsonlSequenceWriter(path, options.withTokenIds) : new ParquetSequenceWriter(path, options.withTokenIds);
}
