import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { convertBertToOnnx } from '../../src/models/bert/convert.ts';
import { parseBertConfig } from '../../src/models/bert/config.ts';
import { loadBertWeights } from '../../src/models/bert/weights.ts';
import { OnnxEmbedder, WordPieceEncoder } from '../../src/models/embedder/index.ts';
import { onnxruntimeBinDir } from '../../src/models/runtime/execution-provider.ts';
import { SafetensorsFile } from '../../src/models/safetensors/index.ts';
import { UserError } from '../../src/util/errors.ts';
import { referenceEmbedding } from './models-bert-reference-forward.ts';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tiny-bert');
const dir = await mkdtemp(join(tmpdir(), 'embedder-test-'));
const onnx = join(dir, 'tiny.onnx');
await convertBertToOnnx(fixture, onnx);
const tokenizerPath = join(fixture, 'tokenizer.json');
const embedder = await OnnxEmbedder.open({ modelPath: onnx, tokenizerPath, modelId: 'tiny-bert', dimension: 16, maxTokens: 12, maxBatchSize: 2, maxBatchTokens: 24, intraOpThreads: 1 });
after(() => embedder.close());

test('embeds in worker threads across several batches, in input order, matching the reference', async () => {
  const texts = ['The cat sat on the mat.', 'hello world', '', 'a big red dog ran fast and the small blue cat was slow , good !', 'Unbelievable dogs', 'cat'];
  const vectors = await embedder.embed(texts);
  assert.equal(vectors.length, texts.length);
  const cfg = parseBertConfig(JSON.parse(await readFile(join(fixture, 'config.json'), 'utf8')), 'fixture');
  const st = await SafetensorsFile.open(join(fixture, 'model.safetensors'));
  const weights = await loadBertWeights(st, cfg);
  await st.close();
  const encoder = await WordPieceEncoder.load(tokenizerPath, 12);
  texts.forEach((t, i) => {
    const ids = encoder.encode(t);
    assert.ok(ids.length <= 12, 'truncated to maxTokens');
    const want = referenceEmbedding(cfg, weights, ids, ids.map(() => 1));
    const got = vectors[i]!;
    assert.equal(got.length, 16);
    const worst = Math.max(...Array.from(got, (v, h) => Math.abs(v - want[h]!)));
    assert.ok(worst < 1e-4, `text ${i} (${JSON.stringify(t)}): max abs difference ${worst}`);
  });
  assert.deepEqual(await embedder.embed([]), []);
});

test('the WordPiece encoder truncates to maxTokens with [CLS] … [SEP]', async () => {
  const encoder = await WordPieceEncoder.load(tokenizerPath, 5);
  assert.deepEqual(encoder.encode('the cat sat on the mat'), [2, 5, 7, 9, 3]);
  assert.deepEqual(encoder.encode('Unbelievable'), [2, 21, 22, 23, 3]);
  assert.deepEqual(encoder.encode('zebra'), [2, 1, 3]);
});

test('long texts: tokenizing only a whitespace-cut prefix gives the same ids as tokenizing everything', async () => {
  const hf = new HfTokenizer(JSON.parse(await readFile(tokenizerPath, 'utf8')) as object, {});
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const words = ['the', 'cat', 'Unbelievable', 'dogs', 'zebra', 'hello,world', '1234', 'naïve', '東京', 'x'.repeat(120), '!?'];
  const seps = [' ', '\t', '\n', '   ', '\u00a0', '\r\n', '\ufeff', ''];
  for (const maxTokens of [3, 6, 40]) {
    const encoder = await WordPieceEncoder.load(tokenizerPath, maxTokens);
    for (let k = 0; k < 60; k++) {
      const n = Math.floor(rnd() * 400);
      const text = Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]! + seps[Math.floor(rnd() * seps.length)]!).join('');
      const full = hf.encode(text, { add_special_tokens: false }).ids.slice(0, maxTokens - 2);
      assert.deepEqual(encoder.encode(text), [2, ...full, 3], `maxTokens ${maxTokens}, text ${k}`);
    }
  }
});

test('a missing or non-BERT tokenizer is an error naming the file', async () => {
  await assert.rejects(WordPieceEncoder.load(join(dir, 'nope.json'), 8), /tokenizer .*nope\.json: cannot read/);
  await assert.rejects(WordPieceEncoder.load(join(fixture, 'config.json'), 8), /tokenizer .*config\.json/);
});

test("execution provider 'cuda' without its provider library is a clear UserError", { skip: existsSync(join(onnxruntimeBinDir(), 'libonnxruntime_providers_cuda.so')) ? 'the CUDA provider is installed here' : false }, async () => {
  await assert.rejects(
    OnnxEmbedder.open({ modelPath: onnx, tokenizerPath, modelId: 'tiny-bert', dimension: 16, executionProvider: 'cuda' }),
    (e: Error) => e instanceof UserError && /execution provider 'cuda': the CUDA provider is not installed/.test(e.message),
  );
});
