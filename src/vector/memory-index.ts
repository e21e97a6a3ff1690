import type { ChunkHit, IndexedChunk, VectorIndex } from '../ports/vector-index.ts';
import { EntropyLongError } from '../util/errors.ts';

interface Collection {
  readonly dimension: number;
  readonly chunks: Map<string, IndexedChunk>;
  /** Row-major copy of the vectors (rows in `rows` order), rebuilt after a change. */
  matrix?: { readonly rows: IndexedChunk[]; readonly values: Float32Array };
}

function matrixOf(c: Collection): { readonly rows: IndexedChunk[]; readonly values: Float32Array } {
  if (!c.matrix) {
    const rows = [...c.chunks.values()];
    const values = new Float32Array(rows.length * c.dimension);
    rows.forEach((row, r) => values.set(row.vector, r * c.dimension));
    c.matrix = { rows, values };
  }
  return c.matrix;
}

const compareHits = (a: ChunkHit, b: ChunkHit): number => b.score - a.score || (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0);

/**
 * Exact in-memory VectorIndex (the default in one process): brute-force inner product in float64
 * over every stored vector. Ordering contract of the port: descending score, ties by chunkId.
 * Upsert replaces a chunk with the same chunkId. Vectors are copied on the way in and out.
 */
export class MemoryVectorIndex implements VectorIndex {
  private readonly collections = new Map<string, Collection>();

  async ensureCollection(name: string, dimension: number): Promise<void> {
    const existing = this.collections.get(name);
    if (existing && existing.dimension !== dimension) {
      throw new EntropyLongError(`in-memory index: collection '${name}' has dimension ${existing.dimension}, not ${dimension}; drop it or use another name`);
    }
    if (!existing) this.collections.set(name, { dimension, chunks: new Map() });
  }

  async dropCollection(name: string): Promise<void> {
    this.collections.delete(name);
  }

  async upsert(name: string, chunks: readonly IndexedChunk[]): Promise<void> {
    const c = this.collection(name);
    for (const chunk of chunks) {
      if (chunk.vector.length !== c.dimension) {
        throw new EntropyLongError(`in-memory index: chunk '${chunk.chunkId}' has a ${chunk.vector.length}-dimensional vector; collection '${name}' takes ${c.dimension}`);
      }
    }
    for (const chunk of chunks) c.chunks.set(chunk.chunkId, { ...chunk, vector: Float32Array.from(chunk.vector) });
    delete c.matrix;
  }

  async search(name: string, queries: readonly Float32Array[], k: number, options: { excludeDocId?: string } = {}): Promise<ChunkHit[][]> {
    const c = this.collection(name);
    if (k <= 0) return queries.map(() => []);
    const { rows, values } = matrixOf(c);
    const dim = c.dimension;
    return queries.map((q) => {
      if (q.length !== dim) throw new EntropyLongError(`in-memory index: query of dimension ${q.length}; collection '${name}' takes ${dim}`);
      const top: ChunkHit[] = [];
      for (let r = 0; r < rows.length; r++) {
        const chunk = rows[r] as IndexedChunk;
        if (chunk.docId === options.excludeDocId) continue;
        let score = 0;
        for (let i = 0, o = r * dim; i < dim; i++, o++) score += (q[i] as number) * (values[o] as number);
        if (top.length === k && score < (top[k - 1] as ChunkHit).score) continue;
        const hit = { chunkId: chunk.chunkId, docId: chunk.docId, text: chunk.text, score };
        if (top.length === k && compareHits(hit, top[k - 1] as ChunkHit) >= 0) continue;
        let at = top.length;
        while (at > 0 && compareHits(hit, top[at - 1] as ChunkHit) < 0) at--;
        top.splice(at, 0, hit);
        if (top.length > k) top.pop();
      }
      return top;
    });
  }

  async getByIds(name: string, chunkIds: readonly string[]): Promise<IndexedChunk[]> {
    const c = this.collection(name);
    const out: IndexedChunk[] = [];
    for (const id of chunkIds) {
      const chunk = c.chunks.get(id);
      if (chunk) out.push({ ...chunk, vector: Float32Array.from(chunk.vector) });
    }
    return out;
  }

  async deleteByIds(name: string, chunkIds: readonly string[]): Promise<void> {
    const c = this.collection(name);
    for (const id of chunkIds) c.chunks.delete(id);
    delete c.matrix;
  }

  async count(name: string): Promise<number> {
    return this.collection(name).chunks.size;
  }

  async close(): Promise<void> {
    this.collections.clear();
  }

  private collection(name: string): Collection {
    const c = this.collections.get(name);
    if (!c) throw new EntropyLongError(`in-memory index: no collection '${name}'; index a corpus first`);
    return c;
  }
}
