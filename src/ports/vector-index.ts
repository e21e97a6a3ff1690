/** A chunk stored in a vector collection. */
export interface IndexedChunk {
  readonly chunkId: string;
  readonly docId: string;
  readonly text: string;
  readonly vector: Float32Array;
}

export interface ChunkHit {
  readonly chunkId: string;
  readonly docId: string;
  readonly text: string;
  /** Cosine similarity (vectors are unit length, so inner product). */
  readonly score: number;
}

/**
 * Dense retrieval over chunks. Implementations: Milvus (production, milvus-lite locally) and an
 * in-memory exact index (the default in one process). Both return the same neighbours, ordered
 * by descending score, ties broken by chunkId.
 */
export interface VectorIndex {
  ensureCollection(name: string, dimension: number): Promise<void>;
  dropCollection(name: string): Promise<void>;
  upsert(name: string, chunks: readonly IndexedChunk[]): Promise<void>;
  /** For each query, the top `k` chunks whose docId is not `excludeDocId`. */
  search(name: string, queries: readonly Float32Array[], k: number, options?: { excludeDocId?: string }): Promise<ChunkHit[][]>;
  getByIds(name: string, chunkIds: readonly string[]): Promise<IndexedChunk[]>;
  deleteByIds(name: string, chunkIds: readonly string[]): Promise<void>;
  count(name: string): Promise<number>;
  close(): Promise<void>;
}
