import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  contextStart, passInput, planEconomicalPasses, planNaivePasses, readMeasurements, type DocumentTests, type PassPlan,
} from '../../src/algorithms/verification-plan.ts';
import { batchByLength } from '../../src/algorithms/batch-by-length.ts';
import { decideVerifications, pairKey } from '../../src/algorithms/verification-decisions.ts';
import type { Candidate } from '../../src/domain/document.ts';
import { ToyScorer, toyEntropies } from './fakes/toy-scorer.ts';

const WORDS = 'the cat sat on a mat while river boats drift past old mills and quiet gardens bloom near stone walls'.split(' ');

function text(random: () => number, n: number): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

async function runPlan(scorer: ToyScorer, plan: PassPlan): Promise<Map<string, number>> {
  const after = new Map<string, number>();
  for (const batch of batchByLength(plan.passes, 4096, 16)) {
    const passes = batch.map((i) => plan.passes[i]!);
    const outputs = await scorer.nextTokenEntropies(passes.map(passInput));
    for (const m of readMeasurements(passes, outputs)) after.set(`${m.docKey}\u0000${pairKey(m.chunkId, m.position)}`, m.entropyAfter);
  }
  return after;
}

test('pass input and readout index follow the Scorer contract', () => {
  const docs: DocumentTests[] = [{ docKey: 'd', docTokens: [10, 11, 12, 13, 14, 15], tests: [{ chunkId: 'c', candidateTokens: [7, 8], positions: [2, 4] }] }];
  const plan = planEconomicalPasses(docs, [2], 100);
  assert.equal(plan.passes.length, 1);
  const pass = plan.passes[0]!;
  assert.deepEqual(passInput(pass), [7, 8, 2, 10, 11, 12, 13]);
  // x_2 = 12 sits at input index 3 + 2 = 5; H(x_2 | C, x_<2) is value[4].
  assert.deepEqual(pass.readouts, [{ position: 2, outputIndex: 4 }, { position: 4, outputIndex: 6 }]);
  assert.equal(plan.forwardedTokens, 7);
  assert.equal(plan.naiveTokens, (3 + 2) + (3 + 4));
});

test('context start: whole prefix within budget, grid of stride L/2 beyond, always ≤ L tokens', () => {
  assert.equal(contextStart(10, 100), 0);
  assert.equal(contextStart(100, 100), 0);
  assert.equal(contextStart(101, 100), 50);
  assert.equal(contextStart(150, 100), 50);
  assert.equal(contextStart(151, 100), 100);
  fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 600 }), (t, available) => {
    const b = contextStart(t, available);
    assert.ok(b >= 0 && t - b <= available && (b === 0 || t - b > available - Math.max(1, Math.floor(available / 2))));
  }));
});

test('unverifiable pairs are reported, not forwarded', () => {
  const docs: DocumentTests[] = [{ docKey: 'd', docTokens: [1, 2, 3], tests: [
    { chunkId: 'long', candidateTokens: [1, 2, 3, 4, 5], positions: [1] },
    { chunkId: 'empty', candidateTokens: [], positions: [1] },
    { chunkId: 'ok', candidateTokens: [9], positions: [0, 1, 3] },
  ] }];
  const plan = planEconomicalPasses(docs, [], 5);
  assert.deepEqual(plan.unverifiable.map((u) => [u.chunkId, u.position, u.reason]), [
    ['long', 1, 'candidate_too_long'], ['empty', 1, 'empty_candidate'], ['ok', 0, 'position_out_of_range'], ['ok', 3, 'position_out_of_range'],
  ]);
  assert.equal(plan.passes.length, 1);
});

test('economical verification keeps exactly the pairs the naive method keeps, forwarding far fewer tokens', async () => {
  const random = lcg(7);
  const scorer = new ToyScorer();
  const pool = Array.from({ length: 30 }, (_, i) => ({ chunkId: `pool#${i}`, text: text(random, 20 + Math.floor(random() * 60)) }));
  const poolTokens = await scorer.tokenize(pool.map((p) => p.text));
  const [separator] = await scorer.tokenize(['\n\n']);
  const docs: DocumentTests[] = [];
  const candidatesByDoc = new Map<string, Candidate[]>();
  const before = new Map<string, Float32Array>();
  for (let d = 0; d < 4; d++) {
    const [docTokens] = await scorer.tokenize([text(random, 300 + 150 * d)]);
    const n = docTokens!.length;
    const entropies = toyEntropies(docTokens!);
    before.set(`doc${d}`, Float32Array.from({ length: n }, (_, t) => (t === 0 ? 0 : entropies[t - 1]!)));
    const positions = Array.from({ length: 25 }, () => 1 + Math.floor(random() * (n - 1)));
    const candidates: Candidate[] = [];
    for (const position of positions) {
      for (let k = 0; k < 6; k++) {
        const c = pool[Math.floor(random() * pool.length)]!;
        candidates.push({ position, chunk: { chunkId: c.chunkId, docId: 'pool', text: c.text }, similarity: 1 });
      }
    }
    candidatesByDoc.set(`doc${d}`, candidates);
    const byChunk = new Map<string, number[]>();
    for (const c of candidates) byChunk.set(c.chunk.chunkId, [...(byChunk.get(c.chunk.chunkId) ?? []), c.position]);
    docs.push({ docKey: `doc${d}`, docTokens: docTokens!, tests: [...byChunk].map(([chunkId, ps]) => ({ chunkId, candidateTokens: poolTokens[Number(chunkId.split('#')[1])]!, positions: ps })) });
  }

  // A window smaller than the longer documents, so the context-start grid is exercised too.
  const maxPassTokens = 400;
  const economical = planEconomicalPasses(docs, separator!, maxPassTokens);
  const naive = planNaivePasses(docs, separator!, maxPassTokens);
  assert.equal(economical.naiveTokens, naive.forwardedTokens, 'the naive total reported by the economical plan is what the naive plan forwards');
  assert.ok(economical.passes.some((p) => p.docStart > 0), 'grid used');

  const economicalScorer = new ToyScorer();
  const naiveScorer = new ToyScorer();
  const afterEconomical = await runPlan(economicalScorer, economical);
  const afterNaive = await runPlan(naiveScorer, naive);
  assert.equal(economicalScorer.forwardedTokens, economical.forwardedTokens);
  assert.equal(naiveScorer.forwardedTokens, naive.forwardedTokens);

  const keptBoth: string[][] = [[], []];
  let pairs = 0;
  for (const [i, after] of [afterEconomical, afterNaive].entries()) {
    for (const doc of docs) {
      const perDoc = new Map<string, number>();
      for (const [k, v] of after) if (k.startsWith(`${doc.docKey}\u0000`)) perDoc.set(k.slice(doc.docKey.length + 1), v);
      const decisions = decideVerifications(candidatesByDoc.get(doc.docKey)!, [...before.get(doc.docKey)!], perDoc, 0.4);
      if (i === 0) pairs += decisions.verifications.length;
      for (const v of decisions.verifications) if (v.kept) keptBoth[i]!.push(`${doc.docKey} ${v.position} ${v.chunkId}`);
    }
  }
  const keptCount = keptBoth[0]!.length;
  assert.deepEqual(keptBoth[0], keptBoth[1]);
  assert.ok(keptCount > 5, `the fixture keeps some pairs (kept ${keptCount})`);
  assert.ok(keptCount < pairs, `and rejects others (${pairs} pairs)`);
  // ~5 positions per distinct candidate here; real documents test each candidate at more.
  const ratio = naive.forwardedTokens / economical.forwardedTokens;
  assert.ok(ratio > 1.5, `naive/forwarded = ${ratio.toFixed(2)}`);
});

test('decisions: verifications in candidate order, kept chunks in first-kept order, unmeasured pairs skipped', () => {
  const chunk = (id: string) => ({ chunkId: id, docId: 'x', text: id });
  const candidates: Candidate[] = [
    { position: 5, chunk: chunk('b'), similarity: 0.9 },
    { position: 5, chunk: chunk('a'), similarity: 0.8 },
    { position: 9, chunk: chunk('c'), similarity: 0.7 },
    { position: 9, chunk: chunk('b'), similarity: 0.6 },
  ];
  const before = Array.from({ length: 10 }, () => 2);
  const after = new Map([[pairKey('b', 5), 1.5], [pairKey('a', 5), 0.5], [pairKey('b', 9), 0.1]]);
  const d = decideVerifications(candidates, before, after, 0.4);
  assert.deepEqual(d.verifications.map((v) => [v.position, v.chunkId, v.kept]), [[5, 'b', false], [5, 'a', true], [9, 'b', true]]);
  assert.deepEqual(d.keptChunks.map((c) => c.chunkId), ['a', 'b']);
});

test('batchByLength: every index once, within limits, similar lengths together', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 80 }), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 10 }), (lengths, maxTokens, maxItems) => {
    const items = lengths.map((length) => ({ length }));
    const batches = batchByLength(items, maxTokens, maxItems);
    assert.deepEqual(batches.flat().sort((a, b) => a - b), items.map((_, i) => i));
    for (const b of batches) {
      assert.ok(b.length >= 1 && b.length <= maxItems);
      const longest = Math.max(...b.map((i) => lengths[i]!));
      assert.ok(b.length === 1 || b.length * longest <= maxTokens);
    }
  }));
});
