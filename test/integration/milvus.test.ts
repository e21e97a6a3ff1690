import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IndexedChunk } from '../../src/ports/vector-index.ts';
import { MemoryVectorIndex } from '../../src/vector/memory-index.ts';
import { MilvusVectorIndex } from '../../src/vector/milvus-index.ts';
import { requireStack, uniqueCollection } from './stack-harness.ts';

const unit = (xs: number[]): Float32Array => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

const chunk = (chunkId: string, docId: string, vector: number[], text = `text of ${chunkId}`): IndexedChunk => ({ chunkId, docId, text, vector: unit(vector) });

/** Deterministic pseudo-random unit vectors (a small LCG), so the test needs no fixtures. */
function randomChunks(n: number, dim: number, seed: number): IndexedChunk[] {
  let s = seed >>> 0;
  const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return Array.from({ length: n }, (_, i) => chunk(`c${String(i).padStart(4, '0')}`, `d${i % 17}`, Array.from({ length: dim }, next)));
}

describe('MilvusVectorIndex against the local Milvus', () => {
  let index: MilvusVectorIndex;
  const made: string[] = [];
  const collection = (label: string): string => {
    const name = uniqueCollection(label);
    made.push(name);
    return name;
  };

  before(async () => {
    const endpoints = await requireStack(['milvus']);
    index = new MilvusVectorIndex({ address: endpoints.milvusAddress });
  });

  after(async () => {
    for (const name of made) await index.dropCollection(name).catch(() => undefined);
    await index.close();
  });

  test('create, upsert, count, search with ordering and tie-break, exclude a document', async () => {
    const name = collection('search');
    await index.ensureCollection(name, 4);
    await index.ensureCollection(name, 4); // idempotent
    await index.upsert(name, [
      chunk('b', 'doc-2', [1, 0, 0, 0]),
      chunk('a', 'doc-1', [1, 0, 0, 0]), // ties with b: a comes first
      chunk('c', 'doc"3\\x', [0.6, 0.8, 0, 0]),
      chunk('d', 'doc-4', [0, 0, 1, 0]),
    ]);
    assert.equal(await index.count(name), 4);
    const [first, second] = await index.search(name, [unit([1, 0, 0, 0]), unit([0, 1, 0, 0])], 3);
    assert.deepEqual(first?.map((h) => h.chunkId), ['a', 'b', 'c']);
    assert.ok(Math.abs((first?.[0]?.score ?? 0) - 1) < 1e-5);
    assert.deepEqual(second?.map((h) => h.chunkId).slice(0, 1), ['c']);
    assert.equal(second?.[0]?.docId, 'doc"3\\x');
    const [excluded] = await index.search(name, [unit([1, 0, 0, 0])], 3, { excludeDocId: 'doc-1' });
    assert.deepEqual(excluded?.map((h) => h.chunkId), ['b', 'c', 'd']);
    const [quoted] = await index.search(name, [unit([0.6, 0.8, 0, 0])], 1, { excludeDocId: 'doc"3\\x' });
    assert.notEqual(quoted?.[0]?.chunkId, 'c');
  });

  test('getByIds returns vectors in the order asked, skipping absent ids; upsert replaces', async () => {
    const name = collection('get');
    await index.ensureCollection(name, 3);
    await index.upsert(name, [chunk('x', 'd1', [1, 2, 3], 'första "x"'), chunk('y', 'd2', [3, 2, 1])]);
    await index.upsert(name, [chunk('x', 'd1', [0, 0, 1], 'replaced')]);
    const got = await index.getByIds(name, ['y', 'missing', 'x']);
    assert.deepEqual(got.map((c) => [c.chunkId, c.docId, c.text]), [['y', 'd2', 'text of y'], ['x', 'd1', 'replaced']]);
    assert.ok(Math.abs((got[1]?.vector[2] ?? 0) - 1) < 1e-6);
    assert.equal(got[0]?.vector.length, 3);
    assert.equal(await index.count(name), 2);
  });

  test('deleteByIds removes exactly those chunks; drop removes the collection', async () => {
    const name = collection('delete');
    await index.ensureCollection(name, 2);
    await index.upsert(name, [chunk('p', 'd', [1, 0]), chunk('q', 'd', [0, 1]), chunk('r"s', 'd', [1, 1])]);
    await index.deleteByIds(name, ['p', 'r"s', 'never-there']);
    assert.equal(await index.count(name), 1);
    assert.deepEqual((await index.search(name, [unit([1, 0])], 5))[0]?.map((h) => h.chunkId), ['q']);
    await index.dropCollection(name);
    await index.dropCollection(name); // dropping twice is fine
    await assert.rejects(index.count(name));
  });

  test('a second dimension for an existing collection is refused with its name', async () => {
    const name = collection('dim');
    await index.ensureCollection(name, 4);
    const fresh = new MilvusVectorIndex();
    await assert.rejects(fresh.ensureCollection(name, 8), new RegExp(`${name}.*dimension 4`));
    await fresh.close();
    await assert.rejects(index.upsert(name, [chunk('z', 'd', [1, 0])]), /2-dimensional/);
  });

  test('same neighbours as the in-memory index on 600 random chunks', async () => {
    const name = collection('parity');
    const dim = 16;
    const chunks = randomChunks(600, dim, 7);
    const memory = new MemoryVectorIndex();
    await memory.ensureCollection(name, dim);
    await memory.upsert(name, chunks);
    await index.ensureCollection(name, dim);
    await index.upsert(name, chunks);
    const queries = randomChunks(20, dim, 99).map((c) => c.vector);
    const [fromMilvus, fromMemory] = await Promise.all([index.search(name, queries, 10, { excludeDocId: 'd3' }), memory.search(name, queries, 10, { excludeDocId: 'd3' })]);
    for (let i = 0; i < queries.length; i++) {
      assert.deepEqual(fromMilvus[i]?.map((h) => h.chunkId), fromMemory[i]?.map((h) => h.chunkId), `query ${i}`);
      for (const [j, h] of (fromMilvus[i] ?? []).entries()) assert.ok(Math.abs(h.score - (fromMemory[i]?.[j]?.score ?? NaN)) < 1e-5);
    }
  });

  test('an invalid collection name is refused before any request', async () => {
    await assert.rejects(index.ensureCollection('bad-name', 4), /not a valid collection name/);
  });
});
