export type { Scorer } from './scorer.ts';
export type { Embedder } from './embedder.ts';
export type { VectorIndex, IndexedChunk, ChunkHit } from './vector-index.ts';
