/**
 * FAKE FOR UNIT TESTS ONLY — not a sentence-embedding model. Hashes lower-cased words into a
 * fixed number of buckets and L2-normalises, so texts sharing words have a high cosine.
 */
import type { Embedder } from '../../../src/ports/embedder.ts';

export class ToyEmbedder implements Embedder {
  readonly modelId = 'toy-hashed-bag-of-words';
  calls = 0;
  readonly batchSizes: number[] = [];
  constructor(readonly dimension = 64, private readonly failOn?: (texts: readonly string[]) => boolean) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.failOn?.(texts)) throw new Error('toy embedder: injected failure');
    this.calls++;
    this.batchSizes.push(texts.length);
    return texts.map((t) => toyVector(t, this.dimension));
  }

  async close(): Promise<void> {}
}

export function toyVector(text: string, dimension: number): Float32Array {
  const v = new Float32Array(dimension);
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 0x811c9dc5;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193) >>> 0;
    v[h % dimension] = (v[h % dimension] ?? 0) + 1;
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) * inv;
  return v;
}
