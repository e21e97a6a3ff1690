import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, from, toArray } from 'rxjs';
import { verifyStage } from '../../src/stages/verify.ts';
import { scoreStage } from '../../src/stages/score.ts';
import { Counters } from '../../src/stages/counters.ts';
import { defaultMethodConfig } from '../../src/config/method-config.ts';
import { defaultStageConfig } from '../../src/stages/stage-config.ts';
import { contextStart } from '../../src/algorithms/verification-plan.ts';
import { envelope } from '../../src/domain/envelope.ts';
import { ok, type Outcome } from '../../src/domain/outcome.ts';
import type { Candidate, RetrievedDocument, ScoredDocument, VerifiedDocument } from '../../src/domain/document.ts';
import { ToyScorer, toyEntropies } from './fakes/toy-scorer.ts';
import { lcg, toyCorpus, toyText } from './fakes/toy-corpus.ts';

const method = { ...defaultMethodConfig, verifyWindow: 300, epsilon: 0.4 };
const stage = { ...defaultStageConfig, batchWaitMs: 1, verifyDocumentsPerBatch: 3, verifyBatchSequences: 4 };

test('score stage: entropies[t] = H(x_t | x_<t) = value[t − 1], entropies[0] = 0', async () => {
  const scorer = new ToyScorer();
  const counters = new Counters();
  const text = 'a b a c a b';
  const out = await firstValueFrom(from([envelope('d', ok({ id: 'd', text }))]).pipe(scoreStage({ scorer }, { method, stage }, { counters }), toArray()));
  const scored = (out[0]!.value as { value: ScoredDocument }).value;
  const [ids] = await scorer.tokenize([text]);
  const values = toyEntropies(ids!);
  assert.deepEqual(scored.entropies, [0, ...Array.from(values.slice(0, ids!.length - 1))]);
  assert.equal(counters.get('score', 'tokens'), 6);
});

test('verify stage: every ΔI equals a naive pass [C ; sep ; x_b..x_{t−1}] computed independently', async () => {
  const scorer = new ToyScorer();
  const random = lcg(3);
  const pool = toyCorpus(8, 2, 3).map((d, i) => ({ chunkId: `${d.id}#0`, docId: d.id, text: d.text.split('\n\n')[0]! + (i % 2 ? ' extra words' : '') }));
  const docs: RetrievedDocument[] = [];
  for (let d = 0; d < 5; d++) {
    const text = toyText(random, d % 2, 2 + d, 60);
    const [tokenIds] = await scorer.tokenize([text]);
    const values = toyEntropies(tokenIds!);
    const entropies = [0, ...Array.from(values.slice(0, tokenIds!.length - 1))];
    const scored: ScoredDocument = { doc: { id: `root${d}`, text }, tokenIds: tokenIds!, entropies, model: scorer.modelId };
    const positions = Array.from({ length: 12 }, () => 1 + Math.floor(random() * (tokenIds!.length - 1))).sort((a, b) => a - b);
    const candidates: Candidate[] = positions.flatMap((position) => pool.filter(() => random() < 0.5).map((chunk) => ({ position, chunk, similarity: 0.5 })));
    docs.push({ selected: { scored, threshold: 0, meanEntropy: 0, stdEntropy: 0, positions: [] }, candidates });
  }
  const counters = new Counters();
  const out = await firstValueFrom(from(docs.map((d) => envelope(d.selected.scored.doc.id, ok(d) as Outcome<RetrievedDocument>))).pipe(
    verifyStage({ scorer }, { method, stage }, { counters }), toArray()));
  assert.deepEqual(out.map((e) => e.key), docs.map((d) => d.selected.scored.doc.id));

  const [sep] = await scorer.tokenize([method.contextSeparator]);
  let pairs = 0;
  let kept = 0;
  for (const [i, e] of out.entries()) {
    const verified = (e.value as { value: VerifiedDocument }).value;
    const doc = docs[i]!;
    const seen = new Set<string>();
    for (const c of doc.candidates) {
      const key = `${c.chunk.chunkId}@${c.position}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const [chunkIds] = await scorer.tokenize([c.chunk.text]);
      const prefix = [...chunkIds!, ...sep!];
      const b = contextStart(c.position, method.verifyWindow - prefix.length);
      const input = [...prefix, ...doc.selected.scored.tokenIds.slice(b, c.position)];
      const naiveAfter = toyEntropies(input)[input.length - 1]!;
      const v = verified.verifications.find((x) => x.chunkId === c.chunk.chunkId && x.position === c.position);
      assert.ok(v, `verification for ${key}`);
      assert.equal(v.entropyAfter, naiveAfter, key);
      const before = doc.selected.scored.entropies[c.position]!;
      assert.equal(v.kept, (before - naiveAfter) / before > method.epsilon, key);
      pairs++;
      if (v.kept) kept++;
    }
    assert.equal(verified.verifications.length, seen.size);
    assert.deepEqual(new Set(verified.keptChunks.map((k) => k.chunkId)), new Set(verified.verifications.filter((v) => v.kept).map((v) => v.chunkId)));
  }
  assert.ok(kept > 0 && kept < pairs, `${kept} of ${pairs} kept`);
  assert.equal(counters.get('verify', 'pairs'), pairs);
  assert.equal(scorer.forwardedTokens, counters.get('verify', 'forwarded_tokens'), 'the scorer saw exactly the reported forwarded tokens');
  assert.ok(counters.get('verify', 'naive_tokens') > 2 * counters.get('verify', 'forwarded_tokens'));
  assert.ok(Math.max(...scorer.batchSizes) <= stage.verifyBatchSequences);
});

test('verify stage: a failing scorer call fails that batch of documents only', async () => {
  let calls = 0;
  const scorer = new ToyScorer({ failOn: () => ++calls === 1 });
  const chunk = { chunkId: 'x#0', docId: 'x', text: 'a b c d' };
  const make = (id: string): RetrievedDocument => ({
    selected: { scored: { doc: { id, text: 'a b c d e' }, tokenIds: [11, 12, 13, 14, 15], entropies: [0, 2, 2, 2, 2], model: 'toy' }, threshold: 0, meanEntropy: 0, stdEntropy: 0, positions: [] },
    candidates: [{ position: 2, chunk, similarity: 1 }],
  });
  const counters = new Counters();
  const out = await firstValueFrom(from(['d1', 'd2', 'd3'].map((id) => envelope(id, ok(make(id)) as Outcome<RetrievedDocument>))).pipe(
    verifyStage({ scorer }, { method, stage: { ...stage, verifyDocumentsPerBatch: 1 } }, { counters }), toArray()));
  assert.deepEqual(out.map((e) => e.value.kind), ['failed', 'ok', 'ok']);
  assert.equal(counters.get('verify', 'failed'), 1);
});
