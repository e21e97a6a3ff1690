import type { Embedder } from '../ports/embedder.ts';
import type { IndexedChunk, VectorIndex } from '../ports/vector-index.ts';
import type { Chunk } from '../domain/document.ts';
import { EntropyLongError } from '../util/errors.ts';
import { chunkDocument } from './chunking.ts';

export interface CorpusDocument {
  readonly id: string;
  readonly text: string;
}

export interface IndexCorpusOptions {
  readonly collection: string;
  readonly chunkMaxChars: number;
  /** Chunks per Embedder.embed call, also per upsert. */
  readonly embedBatchSize: number;
  readonly onProgress?: (progress: IndexProgress) => void;
}

export interface IndexProgress {
  readonly documents: number;
  readonly chunks: number;
}

/**
 * Chunks every document, embeds the chunks in batches of `embedBatchSize` (across document
 * boundaries) and upserts each batch into `collection`, created with the embedder's dimension if
 * missing. Upserts are by chunkId, so indexing the same corpus twice leaves the same collection.
 * Returns how many documents and chunks were indexed. An embedder or index error rejects the
 * promise; batches upserted before it stay (re-running completes the collection).
 */
export async function indexCorpus(
  documents: AsyncIterable<CorpusDocument> | Iterable<CorpusDocument>,
  ports: { readonly embedder: Embedder; readonly index: VectorIndex },
  options: IndexCorpusOptions,
): Promise<IndexProgress> {
  await ports.index.ensureCollection(options.collection, ports.embedder.dimension);
  let pending: Chunk[] = [];
  let documentCount = 0;
  let chunkCount = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const vectors = await ports.embedder.embed(batch.map((c) => c.text));
    if (vectors.length !== batch.length) {
      throw new EntropyLongError(`embedder ${ports.embedder.modelId} returned ${vectors.length} vectors for ${batch.length} chunks`);
    }
    const rows: IndexedChunk[] = batch.map((c, i) => ({ ...c, vector: vectors[i] as Float32Array }));
    await ports.index.upsert(options.collection, rows);
    chunkCount += rows.length;
    options.onProgress?.({ documents: documentCount, chunks: chunkCount });
  };
  for await (const doc of documents) {
    documentCount++;
    for (const chunk of chunkDocument(doc.id, doc.text, options.chunkMaxChars)) {
      pending.push(chunk);
      if (pending.length >= options.embedBatchSize) await flush();
    }
  }
  await flush();
  return { documents: documentCount, chunks: chunkCount };
}
