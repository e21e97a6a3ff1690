import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryVectorIndex } from '../../src/vector/memory-index.ts';
import { indexCorpus } from '../../src/corpus/indexer.ts';
import { ToyEmbedder, toyVector } from './fakes/toy-embedder.ts';

test('indexCorpus chunks, embeds in batches across documents, upserts, and is idempotent', async () => {
  const index = new MemoryVectorIndex();
  const embedder = new ToyEmbedder(16);
  const docs = [
    { id: 'a', text: 'alpha one.\n\nalpha two.\n\nalpha three.' },
    { id: 'b', text: 'beta one.\n\nbeta two.' },
  ];
  const progress: number[] = [];
  const options = { collection: 'corpus', chunkMaxChars: 12, embedBatchSize: 2, onProgress: (p: { chunks: number }) => progress.push(p.chunks) };
  const result = await indexCorpus(docs, { embedder, index }, options);
  assert.deepEqual(result, { documents: 2, chunks: 5 });
  assert.deepEqual(embedder.batchSizes, [2, 2, 1]);
  assert.deepEqual(progress, [2, 4, 5]);
  assert.equal(await index.count('corpus'), 5);
  const [stored] = await index.getByIds('corpus', ['b#1']);
  assert.equal(stored!.text, 'beta two.');
  assert.deepEqual([...stored!.vector], [...toyVector('beta two.', 16)]);
  await indexCorpus(docs, { embedder, index }, options);
  assert.equal(await index.count('corpus'), 5);
});
