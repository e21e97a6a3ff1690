import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OnnxScorer } from '../../src/models/runtime/onnx-scorer.ts';
import { assertExecutionProviderAvailable } from '../../src/models/runtime/execution-provider.ts';
import { writeNgramModel } from './models-scorer-ngram-model.ts';

const tokenizerPath = new URL('../fixtures/reference/tokenizer.json', import.meta.url).pathname;
const VOCAB = 64;
const ORDER = 4;

function ids(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % VOCAB;
  });
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('OnnxScorer on a causal n-gram test model (worker thread, ONNX Runtime CPU)', () => {
  let dir = '';
  let modelPath = '';
  const open = (o: { window?: number; stride?: number; maxBatchSize?: number; maxBatchTokens?: number }): Promise<OnnxScorer> =>
    OnnxScorer.open({ modelPath, tokenizerPath, modelId: 'ngram-test', contextLength: 4096, intraOpThreads: 1, ...o });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'entropylong-scorer-'));
    modelPath = join(dir, 'ngram.onnx');
    await writeNgramModel(modelPath, { vocab: VOCAB, dim: 16, order: ORDER, seed: 7 });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores long sequences by windows exactly as whole when the context fits in the overlap', async () => {
    const whole = await open({ window: 4096 });
    const windowed = await open({ window: 16, stride: 8, maxBatchSize: 3 });
    try {
      const batch = [ids(200, 1), ids(16, 2), ids(17, 3), ids(5, 4), ids(1, 5), [], ids(77, 6)];
      const a = await whole.nextTokenEntropies(batch);
      const b = await windowed.nextTokenEntropies(batch);
      assert.equal(b.length, batch.length);
      batch.forEach((seq, i) => {
        assert.equal(b[i]?.length, seq.length);
        assert.ok(maxAbsDiff(a[i] as Float32Array, b[i] as Float32Array) < 1e-5, `sequence ${i}`);
      });
      assert.ok((a[0] as Float32Array).every((h) => Number.isFinite(h) && h > 0));
    } finally {
      await whole.close();
      await windowed.close();
    }
  });

  it('gives each sequence the same entropies alone as right-padded in a batch', async () => {
    const scorer = await open({ window: 64, stride: 32, maxBatchSize: 8 });
    try {
      const batch = [ids(50, 11), ids(3, 12), ids(64, 13), ids(20, 14)];
      const together = await scorer.nextTokenEntropies(batch);
      for (let i = 0; i < batch.length; i++) {
        const [alone] = await scorer.nextTokenEntropies([batch[i] as number[]]);
        assert.ok(maxAbsDiff(alone as Float32Array, together[i] as Float32Array) < 1e-5, `sequence ${i}`);
      }
    } finally {
      await scorer.close();
    }
  });

  it('rejects a token id outside the vocabulary, naming where', async () => {
    const scorer = await open({ window: 64, stride: 32 });
    try {
      await assert.rejects(scorer.nextTokenEntropies([[1, 2], [3, -1]]), /batch\[1\]\[1\] = -1 is not a token id/);
      await assert.rejects(scorer.nextTokenEntropies([[1, 2.5]]), /batch\[0\]\[1\] = 2.5/);
    } finally {
      await scorer.close();
    }
  });

  it('refuses bad windows and a missing model by name', async () => {
    await assert.rejects(open({ window: 16, stride: 9 }), /stride must be an integer in \[1, window\/2 = 8\]/);
    await assert.rejects(open({ window: 8192 }), /window 8192 exceeds the model's context length 4096/);
    await assert.rejects(
      OnnxScorer.open({ modelPath: join(dir, 'absent.onnx'), tokenizerPath, modelId: 'x', contextLength: 64 }),
      /loading ONNX model 'decoder' from .*absent\.onnx/,
    );
  });

  it('tokenizes in the scorer with the tokenizer it was given', async () => {
    const scorer = await open({ window: 64, stride: 32 });
    try {
      const [t] = await scorer.tokenize(['Hello world']);
      assert.deepEqual(t, [19556, 905]);
      assert.equal(await scorer.detokenize([19556, 905]), 'Hello world');
    } finally {
      await scorer.close();
    }
  });
});

describe('execution provider selection', () => {
  it('accepts cpu and names an unknown provider', () => {
    assertExecutionProviderAvailable('cpu');
    assert.throws(() => assertExecutionProviderAvailable('tpu'), /execution provider 'tpu' is not supported \(choose one of: cpu, cuda\)/);
  });
  it('says what is missing when cuda is asked for without its provider library', (t) => {
    try {
      assertExecutionProviderAvailable('cuda');
      t.skip('the CUDA provider library is installed here');
    } catch (e) {
      assert.match((e as Error).message, /execution provider 'cuda': (the CUDA provider is not installed \(.*libonnxruntime_providers_cuda\.so is missing\)|onnxruntime-node has no CUDA provider)/);
    }
  });
});
