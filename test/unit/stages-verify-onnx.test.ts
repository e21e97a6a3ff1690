import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, from, toArray } from 'rxjs';
import { convertGgufToOnnx } from '../../src/models/llama/index.ts';
import { OnnxScorer } from '../../src/models/runtime/onnx-scorer.ts';
import { verifyStage } from '../../src/stages/verify.ts';
import { Counters } from '../../src/stages/counters.ts';
import { contextStart } from '../../src/algorithms/verification-plan.ts';
import { decideInformationGain } from '../../src/algorithms/information-gain.ts';
import { defaultMethodConfig } from '../../src/config/method-config.ts';
import { defaultStageConfig } from '../../src/stages/stage-config.ts';
import { envelope } from '../../src/domain/envelope.ts';
import { ok, type Outcome } from '../../src/domain/outcome.ts';
import type { Candidate, RetrievedDocument, VerifiedDocument } from '../../src/domain/document.ts';
import { TINY_LLAMA_GGUF } from '../fixtures/tiny-llama/make-tiny-llama.ts';
import { lcg } from './fakes/toy-corpus.ts';
import { ByteTokenizedScorer } from './fakes/byte-tokenized-scorer.ts';


test('verify on a real ONNX decoder: padded, batched economical passes match one unbatched pass per pair', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'entropylong-verify-onnx-'));
  const onnx = await (async () => {
    await convertGgufToOnnx(TINY_LLAMA_GGUF, join(dir, 'tiny.onnx'), { weights: 'float32' });
    return OnnxScorer.open({
      modelPath: join(dir, 'tiny.onnx'),
      tokenizerPath: new URL('../fixtures/reference/tokenizer.json', import.meta.url).pathname,
      modelId: 'tiny', contextLength: 256, intraOpThreads: 1, maxBatchSize: 4,
    });
  })();
  const scorer = new ByteTokenizedScorer(onnx);
  try {
    const random = lcg(17);
    const letters = 'abcdefghij klmnop';
    const text = (n: number): string => Array.from({ length: n }, () => letters[Math.floor(random() * letters.length)]).join('');
    const pool = Array.from({ length: 6 }, (_, i) => ({ chunkId: `pool${i}#0`, docId: `pool${i}`, text: text(20 + 10 * i) }));
    const docs: RetrievedDocument[] = [];
    for (let d = 0; d < 3; d++) {
      const body = text(120 + 60 * d);
      const [tokenIds] = await scorer.tokenize([body]);
      const [values] = await scorer.nextTokenEntropies([tokenIds!]);
      const entropies = [0, ...Array.from(values!.slice(0, tokenIds!.length - 1))];
      const positions = [...new Set(Array.from({ length: 6 }, () => 1 + Math.floor(random() * (tokenIds!.length - 1))))];
      const candidates: Candidate[] = positions.flatMap((position) => pool.filter(() => random() < 0.5).map((chunk) => ({ position, chunk, similarity: 1 })));
      docs.push({ selected: { scored: { doc: { id: `d${d}`, text: body }, tokenIds: tokenIds!, entropies, model: scorer.modelId }, threshold: 0, meanEntropy: 0, stdEntropy: 0, positions: [] }, candidates });
    }
    const method = { ...defaultMethodConfig, verifyWindow: 160, epsilon: 0 };
    const counters = new Counters();
    const out = await firstValueFrom(from(docs.map((d) => envelope(d.selected.scored.doc.id, ok(d) as Outcome<RetrievedDocument>))).pipe(
      verifyStage({ scorer }, { method, stage: { ...defaultStageConfig, verifyDocumentsPerBatch: 3, verifyBatchSequences: 4 } }, { counters }),
      toArray()));

    const [sep] = await scorer.tokenize([method.contextSeparator]);
    let maxDiff = 0;
    let pairs = 0;
    let kept = 0;
    let nearThreshold = 0;
    for (const [i, e] of out.entries()) {
      assert.equal(e.value.kind, 'ok');
      const verified = (e.value as { value: VerifiedDocument }).value;
      const doc = docs[i]!;
      for (const v of verified.verifications) {
        const [chunkTokens] = await scorer.tokenize([pool.find((p) => p.chunkId === v.chunkId)!.text]);
        const prefix = [...chunkTokens!, ...sep!];
        const start = contextStart(v.position, method.verifyWindow - prefix.length);
        const input = [...prefix, ...doc.selected.scored.tokenIds.slice(start, v.position)];
        assert.ok(input.length <= method.verifyWindow);
        const [alone] = await scorer.nextTokenEntropies([input]);
        const naiveAfter = alone![input.length - 1]!;
        maxDiff = Math.max(maxDiff, Math.abs(naiveAfter - v.entropyAfter));
        const naive = decideInformationGain(v.entropyBefore, naiveAfter, method.epsilon);
        if (Math.abs(naive.informationGain - method.epsilon) < 1e-4) nearThreshold++;
        else assert.equal(v.kept, naive.kept, `${doc.selected.scored.doc.id} ${v.chunkId}@${v.position}`);
        pairs++;
        if (v.kept) kept++;
      }
    }
    t.diagnostic(`pairs ${pairs}, kept at ε=0: ${kept}, max |economical − naive| = ${maxDiff.toExponential(2)} nats, within 1e-4 of ε: ${nearThreshold}, forwarded ${counters.get('verify', 'forwarded_tokens')} vs naive ${counters.get('verify', 'naive_tokens')} tokens`);
    assert.ok(pairs > 20);
    assert.ok(maxDiff < 1e-4, `max diff ${maxDiff}`);
    assert.ok(kept > 0 && kept < pairs);
    assert.ok(counters.get('verify', 'naive_tokens') > counters.get('verify', 'forwarded_tokens'));
  } finally {
    await scorer.close();
    await rm(dir, { recursive: true, force: true });
  }
});
