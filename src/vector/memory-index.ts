import type { ChunkHit, IndexedChunk, VectorIndex } from '../ports/vector-index.ts';
import { EntropyLongError } from '../util/errors.ts';

interface Collection {
  readonly dimension: number;
  readonly chunks: Map<string, IndexedChunk>;
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
  }

  async search(name: string, queries: readonly Float32Array[], k: number, options: { excludeDocId?: string } = {}): Promise<ChunkHit[][]> {
    const c = this.collection(name);
    if (k <= 0) return queries.map(() => []);
    const stored = [...c.chunks.values()].filter((chunk) => chunk.docId !== options.excludeDocId);
    return queries.map((q) => {
      if (q.length !== c.dimension) throw new EntropyLongError(`in-memory index: query of dimension ${q.length}; collection '${name}' takes ${c.dimension}`);
      const top: ChunkHit[] = [];
      for (const chunk of stored) {
        let score = 0;
        for (let i = 0; i < q.length; i++) score += (q[i] ?? 0) * (chunk.vector[i] ?? 0);
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
