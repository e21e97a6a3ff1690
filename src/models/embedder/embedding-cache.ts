import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../../ports/embedder.ts';

const KEY_BYTES = 20;

const keyOf = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex');

/**
 * An Embedder that remembers vectors by the SHA-1 of their text in an append-only file, so a
 * re-run over the same corpus (the demo, a researcher's ablation) does not embed it again.
 * The file is per model fingerprint (name, ONNX size and mtime): a rebuilt model starts afresh.
 * Record: 20-byte key + dimension float32s; a torn last record (a killed run) is ignored.
 * Vectors are identical to the inner embedder's (stored as the float32 it returned).
 */
export class CachingEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimension: number;
  hits = 0;
  misses = 0;

  private constructor(private readonly inner: Embedder, private readonly file: string, private readonly vectors: Map<string, Float32Array>) {
    this.modelId = inner.modelId;
    this.dimension = inner.dimension;
  }

  static async open(inner: Embedder, dir: string, modelOnnxPath: string): Promise<CachingEmbedder> {
    const info = await stat(modelOnnxPath);
    const fingerprint = createHash('sha1').update(`${inner.modelId}:${info.size}:${info.mtimeMs}:${inner.dimension}`).digest('hex').slice(0, 16);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${inner.modelId}-${fingerprint}.bin`);
    const vectors = new Map<string, Float32Array>();
    const recordBytes = KEY_BYTES + 4 * inner.dimension;
    const data = await readFile(file).catch(() => Buffer.alloc(0));
    for (let at = 0; at + recordBytes <= data.length; at += recordBytes) {
      const key = data.subarray(at, at + KEY_BYTES).toString('hex');
      const copy = new Float32Array(inner.dimension);
      new Uint8Array(copy.buffer).set(data.subarray(at + KEY_BYTES, at + recordBytes));
      vectors.set(key, copy);
    }
    const whole = vectors.size * recordBytes;
    if (data.length > whole) await truncate(file, whole); // drop a torn record so appends stay aligned
    return new CachingEmbedder(inner, file, vectors);
  }

  get cachedVectors(): number {
    return this.vectors.size;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const keys = texts.map(keyOf);
    const missing = [...new Set(keys.filter((k) => !this.vectors.has(k)))];
    if (missing.length > 0) {
      const textOf = new Map(keys.map((k, i) => [k, texts[i] as string]));
      const fresh = await this.inner.embed(missing.map((k) => textOf.get(k) as string));
      const records: Buffer[] = [];
      missing.forEach((k, i) => {
        const v = fresh[i] as Float32Array;
        this.vectors.set(k, v);
        records.push(Buffer.from(k, 'hex'), Buffer.from(v.buffer, v.byteOffset, v.byteLength));
      });
      await appendFile(this.file, Buffer.concat(records));
    }
    this.misses += missing.length;
    this.hits += texts.length - missing.length;
    return keys.map((k) => Float32Array.from(this.vectors.get(k) as Float32Array));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
