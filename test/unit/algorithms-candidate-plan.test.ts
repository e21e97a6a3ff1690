import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planCandidates, type RetrievedHit } from '../../src/algorithms/candidate-plan.ts';

const hit = (chunkId: string, score: number, text = `text of ${chunkId}`): RetrievedHit => ({ chunkId, docId: chunkId.split('#')[0]!, text, score });
const unit = (...xs: number[]): Float32Array => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

test('union over positions, own chunks excluded, one candidate per (position, chunk)', () => {
  const plan = planCandidates('root', [
    { position: 40, hits: [hit('a#0', 0.9), hit('root#1', 0.95), hit('b#0', 0.5)] },
    { position: 50, hits: [hit('a#0', 0.7), hit('c#2', 0.8)] },
  ], new Map(), 0.98);
  assert.equal(plan.ownDocumentHits, 1);
  assert.equal(plan.distinctChunks, 3);
  assert.deepEqual(plan.candidates.map((c) => [c.position, c.chunk.chunkId, c.similarity]), [
    [40, 'a#0', 0.9], [40, 'b#0', 0.5], [50, 'c#2', 0.8], [50, 'a#0', 0.7],
  ]);
});

test('identical normalised text collapses to the best-scoring representative, which inherits positions', () => {
  const plan = planCandidates('root', [
    { position: 40, hits: [hit('a#0', 0.6, 'Hello   World'), hit('b#0', 0.5)] },
    { position: 70, hits: [hit('z#9', 0.9, ' hello world ')] },
  ], new Map(), 0.98);
  assert.equal(plan.collapsedDuplicates, 1);
  assert.deepEqual(plan.candidates.map((c) => [c.position, c.chunk.chunkId, c.similarity]), [
    [40, 'z#9', 0.6], [40, 'b#0', 0.5], [70, 'z#9', 0.9],
  ]);
});

test('cosine above the threshold collapses co-retrieved chunks; at or below does not', () => {
  const vectors = new Map([
    ['a#0', unit(1, 0, 0)],
    ['b#0', unit(1, 0.1, 0)], // cos ≈ 0.995 with a
    ['c#0', unit(0, 1, 0)],
  ]);
  const plan = planCandidates('root', [{ position: 33, hits: [hit('a#0', 0.8), hit('b#0', 0.8), hit('c#0', 0.7)] }], vectors, 0.99);
  assert.deepEqual(plan.candidates.map((c) => c.chunk.chunkId), ['a#0', 'c#0']);
  const strict = planCandidates('root', [{ position: 33, hits: [hit('a#0', 0.8), hit('b#0', 0.8)] }], vectors, 0.999);
  assert.deepEqual(strict.candidates.map((c) => c.chunk.chunkId), ['a#0', 'b#0']);
});

test('planning is independent of hit order within a position', () => {
  const hits = [hit('a#0', 0.8, 'same'), hit('b#0', 0.8, 'same'), hit('c#0', 0.3)];
  const one = planCandidates('root', [{ position: 33, hits }], new Map(), 0.98);
  const two = planCandidates('root', [{ position: 33, hits: [...hits].reverse() }], new Map(), 0.98);
  assert.deepEqual(one, two);
  assert.equal(one.candidates[0]!.chunk.chunkId, 'a#0', 'ties broken by chunkId');
});
