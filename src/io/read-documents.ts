import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { checkDocumentRecord } from '../domain/document-record.ts';
import { UserError, errorMessage } from '../util/errors.ts';
import type { InputItem, RecordLocation } from './input-item.ts';

const RAW_KEEP = 4096;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const SUPPORTED = new Set(['.jsonl', '.ndjson', '.json', '.parquet']);

export interface ReadOptions {
  readonly maxDocumentChars: number;
}

/** The input files under `path` (a file, or a folder searched recursively), sorted by name. */
export async function listInputFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new UserError(`input '${path}' cannot be read (${errorMessage(e)}); pass a .jsonl/.parquet file or a folder of them`, { cause: e });
  }
  if (info.isFile()) {
    if (!SUPPORTED.has(extname(path).toLowerCase())) throw new UserError(`input '${path}' is neither JSONL (.jsonl/.ndjson/.json) nor Parquet (.parquet)`);
    return [path];
  }
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && SUPPORTED.has(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (files.length === 0) throw new UserError(`input folder '${path}' holds no .jsonl or .parquet file`);
  return files;
}

/** Lines of a file as raw bytes (so invalid UTF-8 is detected per line, not replaced). */
async function* byteLines(file: string): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    let buf: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) !== -1) {
      yield buf.subarray(0, nl);
      buf = buf.subarray(nl + 1);
    }
    carry = Buffer.from(buf);
  }
  if (carry.length) yield carry;
}

async function* readJsonl(file: string, options: ReadOptions): AsyncGenerator<InputItem> {
  let line = 0;
  for await (const bytes of byteLines(file)) {
    line++;
    const location: RecordLocation = { file, record: line };
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      yield { kind: 'reject', reject: { location, reason: 'invalid_utf8', detail: `line ${line} is not valid UTF-8`, raw: bytes.subarray(0, RAW_KEEP).toString('base64') } };
      continue;
    }
    if (text.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      yield { kind: 'reject', reject: { location, reason: 'invalid_json', detail: `line ${line}: ${errorMessage(e)}`, raw: text.slice(0, RAW_KEEP) } };
      continue;
    }
    const check = checkDocumentRecord(value, options.maxDocumentChars);
    yield check.ok
      ? { kind: 'document', doc: check.doc, location }
      : { kind: 'reject', reject: { location, reason: check.reason, detail: check.detail, raw: text.slice(0, RAW_KEEP) } };
  }
}

async function* readParquet(file: string, options: ReadOptions): AsyncGenerator<InputItem> {
  let metadataRows = 0;
  try {
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    metadataRows = Number(metadata.num_rows);
    // Row groups one at a time keeps memory to one group's worth of text.
    let start = 0;
    for (const group of metadata.row_groups) {
      const end = start + Number(group.num_rows);
      const part = await parquetReadObjects({ file: buffer, metadata, rowStart: start, rowEnd: end, compressors });
      for (const [i, row] of part.entries()) {
        const location: RecordLocation = { file, record: start + i };
        const check = checkDocumentRecord(row, options.maxDocumentChars);
        yield check.ok
          ? { kind: 'document', doc: check.doc, location }
          : { kind: 'reject', reject: { location, reason: check.reason, detail: check.detail, raw: safeJson(row).slice(0, RAW_KEEP) } };
      }
      start = end;
    }
  } catch (e) {
    yield { kind: 'reject', reject: { location: { file, record: null }, reason: 'unreadable_file', detail: `Parquet file '${file}' cannot be read (${metadataRows} rows declared): ${errorMessage(e)}` } };
  }
}

function safeJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Every record of every input file, in file then record order: admitted documents and rejects
 * (each with its reason and location), so the caller counts and writes rejects and goes on.
 */
export async function* readDocuments(path: string, options: ReadOptions): AsyncGenerator<InputItem> {
  for (const file of await listInputFiles(path)) {
    if (extname(file).toLowerCase() === '.parquet') yield* readParquet(file, options);
    else {
      try {
        yield* readJsonl(file, options);
      } catch (e) {
        yield { kind: 'reject', reject: { location: { file, record: null }, reason: 'unreadable_file', detail: `'${file}' cannot be read: ${errorMessage(e)}` } };
      }
    }
  }
}
