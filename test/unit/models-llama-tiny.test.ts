import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GgufFile } from '../../src/models/gguf/index.ts';
import { convertGgufToOnnx, ggufLlamaWeights, llamaConfigFromGguf } from '../../src/models/llama/index.ts';
import { TINY, TINY_LLAMA_GGUF, writeTinyLlama } from '../fixtures/tiny-llama/make-tiny-llama.ts';
import { referenceEntropies } from '../fixtures/tiny-llama/reference-forward.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tiny-llama-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

const sequences = [
  [5, 80, 120, 33, 33, 200, 7, 64, 260, 1, 99, 150, 42, 17, 3, 230, 111, 90],
  [40, 41, 42, 9, 250],
];

interface Variant { weights: 'float32' | 'blocks'; accuracyLevel: number; attention: 'gqa' | 'primitive'; tolerance: number }
const variants: Variant[] = [
  { weights: 'float32', accuracyLevel: 0, attention: 'primitive', tolerance: 1e-3 },
  { weights: 'float32', accuracyLevel: 0, attention: 'gqa', tolerance: 1e-3 },
  { weights: 'blocks', accuracyLevel: 0, attention: 'gqa', tolerance: 1e-3 },
  // int8 activations (as llama.cpp quantises them) are an approximation by design.
  { weights: 'blocks', accuracyLevel: 4, attention: 'gqa', tolerance: 0.05 },
];

async function checkAgainstReference(gguf: string, dir: string, v: Variant): Promise<void> {
  const onnx = join(dir, 'tiny.onnx');
  const info = await convertGgufToOnnx(gguf, onnx, { withLogits: true, weights: v.weights, accuracyLevel: v.accuracyLevel, attention: v.attention });
  assert.equal(info.layers, TINY.layers);
  assert.equal(info.hiddenSize, TINY.hidden);
  assert.equal(info.kvHeads, TINY.kvHeads);
  assert.deepEqual(info.outputs, ['entropy', 'logits']);

  const file = await GgufFile.open(gguf);
  const cfg = llamaConfigFromGguf(file.metadata, gguf);
  const weights = ggufLlamaWeights(file, cfg);
  const want = await Promise.all(sequences.map((s) => referenceEntropies(cfg, weights, s)));
  await file.close();

  // Right-padded batch: the padded tail must not change the real positions.
  const seq = Math.max(...sequences.map((s) => s.length));
  const ids = new BigInt64Array(sequences.length * seq).fill(2n);
  const mask = new BigInt64Array(sequences.length * seq);
  sequences.forEach((s, b) => s.forEach((id, t) => { ids[b * seq + t] = BigInt(id); mask[b * seq + t] = 1n; }));
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
  const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [sequences.length, seq]), attention_mask: new ort.Tensor('int64', mask, [sequences.length, seq]) });
  await session.release();
  assert.deepEqual(out.entropy!.dims, [sequences.length, seq]);
  const got = out.entropy!.data as Float32Array;
  let maxDiff = 0;
  sequences.forEach((s, b) => s.forEach((_, t) => { maxDiff = Math.max(maxDiff, Math.abs(got[b * seq + t]! - want[b]![t]!)); }));
  assert.ok(maxDiff < v.tolerance, `max |ONNX − reference| = ${maxDiff}`);
  const spread = Math.max(...want.flat()) - Math.min(...want.flat());
  assert.ok(spread > 0.05, `reference entropies should vary (spread ${spread})`);
}

for (const v of variants) {
  test(`the converted tiny llama (tied Q8_0 head) matches an independent float64 forward pass (${JSON.stringify(v)})`, async () => {
    await withDir((dir) => checkAgainstReference(TINY_LLAMA_GGUF, dir, v));
  });

  test(`the converted tiny llama (Q4_1 embedding, separate Q4_0 head) matches the reference (${JSON.stringify(v)})`, async () => {
    await withDir(async (dir) => {
      const gguf = join(dir, 'untied.gguf');
      await writeTinyLlama(gguf, { untied: true, seed: 99, embeddingType: 'Q4_1' });
      await checkAgainstReference(gguf, dir, v);
    });
  });
}

test('the committed fixture is what the script writes', async () => {
  await withDir(async (dir) => {
    const again = join(dir, 'again.gguf');
    await writeTinyLlama(again);
    const { readFile } = await import('node:fs/promises');
    assert.ok((await readFile(again)).equals(await readFile(TINY_LLAMA_GGUF)), 'run make-tiny-llama.ts to refresh the fixture');
  });
});

test('unsupported architecture or tensor type: an error naming it, and no output file', async () => {
  await withDir(async (dir) => {
    const { GGML_TYPE, gv, writeGguf } = await import('../../src/models/gguf/index.ts');
    const bad = join(dir, 'bert.gguf');
    await writeGguf(bad, [['general.architecture', gv.str('bert')]], []);
    await assert.rejects(convertGgufToOnnx(bad, join(dir, 'x.onnx')), /architecture 'bert' is not supported/);
    const { tinyLlama } = await import('../fixtures/tiny-llama/make-tiny-llama.ts');
    const t = tinyLlama();
    const q = t.tensors.find((x) => x.name === 'blk.1.ffn_down.weight')!;
    q.type = GGML_TYPE.IQ4_XS!;
    q.data = new Uint8Array((q.dims[0]! * q.dims[1]!) / 256 * 136);
    const odd = join(dir, 'odd.gguf');
    await writeGguf(odd, t.metadata, t.tensors);
    await assert.rejects(convertGgufToOnnx(odd, join(dir, 'x.onnx')), /tensor 'blk\.1\.ffn_down\.weight' has type IQ4_XS, which is not supported/);
    await writeFile(join(dir, 'trunc.gguf'), (await import('node:fs')).readFileSync(TINY_LLAMA_GGUF).subarray(0, 50000));
    await assert.rejects(convertGgufToOnnx(join(dir, 'trunc.gguf'), join(dir, 'x.onnx')), /runs past the end of the file/);
    assert.deepEqual((await readdir(dir)).filter((f) => f.includes('onnx')), []);
  });
});
