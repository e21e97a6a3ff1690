import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryVectorIndex } from '../../src/vector/memory-index.ts';

const v = (...xs: number[]): Float32Array => Float32Array.from(xs);

test('search: descending score, ties by chunkId, k, excludeDocId', async () => {
  const index = new MemoryVectorIndex();
  await index.ensureCollection('c', 2);
  await index.upsert('c', [
    { chunkId: 'b#0', docId: 'b', text: 'b0', vector: v(1, 0) },
    { chunkId: 'a#0', docId: 'a', text: 'a0', vector: v(1, 0) },
    { chunkId: 'a#1', docId: 'a', text: 'a1', vector: v(0.6, 0.8) },
    { chunkId: 'c#0', docId: 'c', text: 'c0', vector: v(0, 1) },
  ]);
  const [hits] = await index.search('c', [v(1, 0)], 3);
  assert.deepEqual(hits!.map((h) => [h.chunkId, h.score]), [['a#0', 1], ['b#0', 1], ['a#1', 0.6000000238418579]]);
  const [excluded] = await index.search('c', [v(1, 0)], 10, { excludeDocId: 'a' });
  assert.deepEqual(excluded!.map((h) => h.chunkId), ['b#0', 'c#0']);
  assert.deepEqual(await index.search('c', [v(1, 0)], 0), [[]]);
});

test('upsert replaces, getByIds keeps request order, delete and count', async () => {
  const index = new MemoryVectorIndex();
  await index.ensureCollection('c', 2);
  await index.ensureCollection('c', 2);
  await index.upsert('c', [{ chunkId: 'x', docId: 'd', text: 'old', vector: v(1, 0) }, { chunkId: 'y', docId: 'd', text: 'y', vector: v(0, 1) }]);
  await index.upsert('c', [{ chunkId: 'x', docId: 'd', text: 'new', vector: v(0, 1) }]);
  assert.equal(await index.count('c'), 2);
  assert.deepEqual((await index.getByIds('c', ['y', 'missing', 'x'])).map((c) => c.text), ['y', 'new']);
  await index.deleteByIds('c', ['x']);
  assert.equal(await index.count('c'), 1);
  await index.dropCollection('c');
  await assert.rejects(index.count('c'), /no collection 'c'/);
});

test('dimension mismatches are clear errors and change nothing', async () => {
  const index = new MemoryVectorIndex();
  await index.ensureCollection('c', 2);
  await assert.rejects(index.ensureCollection('c', 3), /dimension 2, not 3/);
  await assert.rejects(index.upsert('c', [{ chunkId: 'ok', docId: 'd', text: '', vector: v(1, 0) }, { chunkId: 'bad', docId: 'd', text: '', vector: v(1) }]), /'bad' has a 1-dimensional vector/);
  assert.equal(await index.count('c'), 0);
  await assert.rejects(index.search('c', [v(1, 0, 0)], 1), /query of dimension 3/);
});

test('property: search equals a full sort of inner products', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })), { minLength: 1, maxLength: 30 }),
    fc.integer({ min: 1, max: 10 }),
    async (points, k) => {
      const index = new MemoryVectorIndex();
      await index.ensureCollection('c', 2);
      await index.upsert('c', points.map(([x, y], i) => ({ chunkId: `p${String(i).padStart(2, '0')}`, docId: `d${i % 3}`, text: '', vector: v(x, y) })));
      const [hits] = await index.search('c', [v(0.6, 0.8)], k);
      const expected = points.map(([x, y], i) => ({ id: `p${String(i).padStart(2, '0')}`, s: Math.fround(0.6) * x + Math.fround(0.8) * y }))
        .sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1)).slice(0, k).map((e) => e.id);
      assert.deepEqual(hits!.map((h) => h.chunkId), expected);
    },
  ));
});
