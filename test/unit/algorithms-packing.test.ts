import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SequencePacker, type AssemblyUnit, type PackedSequence } from '../../src/algorithms/sequence-packing.ts';
import { buildAssemblyUnit } from '../../src/algorithms/assembly-unit.ts';
import { seededShuffle } from '../../src/algorithms/seeded-random.ts';

const ids = (n: number, from = 1000): number[] => Array.from({ length: n }, (_, i) => from + i);
const SEP = { text: '\n\n', tokenIds: [2] };

function unit(root: string, rootLength: number, contextLengths: number[]): AssemblyUnit {
  return {
    rootDocId: root,
    root: { text: root, tokenIds: ids(rootLength) },
    contexts: contextLengths.map((n, i) => ({
      chunk: { chunkId: `${root}-c${i}`, docId: `src${i}`, text: `c${i}` },
      text: `c${i}`, tokenIds: ids(n, 5000 + 100 * i), dependencies: [{ position: 40 + i, informationGain: 0.5 }],
    })),
  };
}

const tokensOf = (s: PackedSequence): number => s.pieces.reduce((n, p) => n + p.tokenIds.length, 0) + (s.pieces.length - 1);

test('units pack until the target; an overflowing unit starts the next sequence', () => {
  const packer = new SequencePacker({ targetTokens: 100, separator: SEP, sequenceIdPrefix: 's' });
  assert.deepEqual(packer.add(unit('r1', 30, [10])).sequences, []); // 10+1+30 = 41
  assert.deepEqual(packer.add(unit('r2', 40, [])).sequences, []); // 41+1+40 = 82
  const third = packer.add(unit('r3', 20, [])); // 82+1+20 > 100
  assert.equal(third.sequences.length, 1);
  const first = third.sequences[0]!;
  assert.equal(first.sequenceId, 's-0');
  assert.equal(first.tokenCount, 82);
  assert.deepEqual(first.pieces.map((p) => [p.segment.kind, p.segment.tokenStart, p.segment.tokenEnd]), [['context', 0, 10], ['root', 11, 41], ['root', 42, 82]]);
  const rest = packer.flush();
  assert.equal(rest.length, 1);
  assert.equal(rest[0]!.sequenceId, 's-1');
  assert.deepEqual(packer.flush(), []);
});

test('an over-long unit is cut from the front of its contexts, never the root', () => {
  const packer = new SequencePacker({ targetTokens: 100, separator: SEP, sequenceIdPrefix: 's' });
  packer.add(unit('small', 5, []));
  // contexts 30, 50, 40 + root 20: 31 + 51 + 41 + 20 = 143, excess 43 → remove c0 (31), cut 12 of c1.
  const r = packer.add(unit('big', 20, [30, 50, 40]));
  assert.equal(r.contextsRemoved, 1);
  assert.equal(r.tokensTruncated, 43);
  assert.equal(r.sequences.length, 2, 'the open sequence closes, and the full one closes at once');
  const big = r.sequences[1]!;
  assert.equal(big.tokenCount, 100);
  assert.deepEqual(big.pieces.map((p) => [p.segment.chunkId ?? p.segment.kind, p.tokenIds.length, p.segment.truncatedTokens ?? 0]), [['big-c1', 38, 12], ['big-c2', 40, 0], ['root', 20, 0]]);
  assert.deepEqual(big.pieces[0]!.tokenIds, ids(50, 5100).slice(12), 'the tail of the first kept context survives');
});

test('a root longer than the target is rejected and nothing is packed', () => {
  const packer = new SequencePacker({ targetTokens: 100, separator: SEP, sequenceIdPrefix: 's' });
  const r = packer.add(unit('huge', 101, [3]));
  assert.equal(r.rejected, 'root_longer_than_target');
  assert.deepEqual(packer.flush(), []);
  const exact = packer.add(unit('exact', 100, [3]));
  assert.equal(exact.sequences.length, 1);
  assert.deepEqual(exact.sequences[0]!.pieces.map((p) => p.segment.kind), ['root']);
});

test('packing property: never above target, every root exactly once in order, offsets consistent', () => {
  fc.assert(fc.property(
    fc.integer({ min: 5, max: 300 }),
    fc.array(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.array(fc.integer({ min: 1, max: 120 }), { maxLength: 5 })), { maxLength: 40 }),
    (target, shapes) => {
      const packer = new SequencePacker({ targetTokens: target, separator: SEP, sequenceIdPrefix: 's' });
      const out: PackedSequence[] = [];
      const accepted: string[] = [];
      shapes.forEach(([root, ctx], i) => {
        const r = packer.add(unit(`r${i}`, root, ctx));
        if (!r.rejected) accepted.push(`r${i}`);
        else assert.ok(root > target);
        out.push(...r.sequences);
      });
      out.push(...packer.flush());
      const roots = out.flatMap((s) => s.pieces.filter((p) => p.segment.kind === 'root').map((p) => p.segment.docId));
      assert.deepEqual(roots, accepted);
      out.forEach((s, i) => {
        assert.equal(s.sequenceId, `s-${i}`);
        assert.ok(s.tokenCount <= target && s.tokenCount === tokensOf(s));
        assert.ok(s.pieces.length > 0);
        for (const p of s.pieces) assert.equal(p.segment.tokenEnd - p.segment.tokenStart, p.tokenIds.length);
        for (const p of s.pieces) if (p.segment.kind === 'root') assert.equal(p.tokenIds.length, shapes[Number(p.segment.docId.slice(1))]![0]);
      });
    },
  ));
});

test('seeded shuffle is a permutation, stable per (seed, key), different across keys', () => {
  fc.assert(fc.property(fc.array(fc.integer(), { maxLength: 50 }), fc.nat(), fc.string(), (items, seed, key) => {
    const a = seededShuffle(items, seed, key);
    assert.deepEqual([...a].sort((x, y) => x - y), [...items].sort((x, y) => x - y));
    assert.deepEqual(seededShuffle(items, seed, key), a);
  }));
  const items = Array.from({ length: 20 }, (_, i) => i);
  assert.notDeepEqual(seededShuffle(items, 1, 'doc-a'), seededShuffle(items, 1, 'doc-b'));
  assert.notDeepEqual(seededShuffle(items, 1, 'doc-a'), seededShuffle(items, 2, 'doc-a'));
});

test('assembly unit: seeded context order, dependencies per chunk in position order', () => {
  const chunks = ['a', 'b', 'c', 'd'].map((id) => ({ chunkId: id, docId: `o-${id}`, text: id }));
  const verifications = [
    { position: 50, chunkId: 'b', entropyBefore: 2, entropyAfter: 0.5, informationGain: 0.75, kept: true },
    { position: 40, chunkId: 'b', entropyBefore: 2, entropyAfter: 1, informationGain: 0.5, kept: true },
    { position: 40, chunkId: 'a', entropyBefore: 2, entropyAfter: 1.9, informationGain: 0.05, kept: false },
  ];
  const tokens = new Map(chunks.map((c, i) => [c.chunkId, [i]]));
  const u1 = buildAssemblyUnit('root', { text: 'r', tokenIds: [9] }, chunks, verifications, tokens, 7);
  const u2 = buildAssemblyUnit('root', { text: 'r', tokenIds: [9] }, [...chunks].reverse().reverse(), verifications, tokens, 7);
  assert.deepEqual(u1, u2);
  assert.deepEqual(u1.contexts.map((c) => c.chunk.chunkId), seededShuffle(chunks, 7, 'root').map((c) => c.chunkId));
  assert.deepEqual(u1.contexts.find((c) => c.chunk.chunkId === 'b')!.dependencies, [{ position: 40, informationGain: 0.5 }, { position: 50, informationGain: 0.75 }]);
  assert.deepEqual(u1.contexts.find((c) => c.chunk.chunkId === 'a')!.dependencies, []);
});
