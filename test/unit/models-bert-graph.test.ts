import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp, cp, rm, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { convertBertToOnnx } from '../../src/models/bert/convert.ts';
import { parseBertConfig } from '../../src/models/bert/config.ts';
import { loadBertWeights } from '../../src/models/bert/weights.ts';
import { SafetensorsFile } from '../../src/models/safetensors/index.ts';
import { referenceEmbedding } from './models-bert-reference-forward.ts';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tiny-bert');
const dir = await mkdtemp(join(tmpdir(), 'bert-test-'));

for (const kernels of ['onnx', 'ort-contrib'] as const) test(`tiny BERT (${kernels} kernels): the ONNX graph matches the reference forward pass within 1e-4, padding included`, async () => {
  const onnx = join(dir, `tiny-${kernels}.onnx`);
  const info = await convertBertToOnnx(fixture, onnx, { kernels });
  assert.equal(info.dimension, 16);
  const cfg = parseBertConfig(JSON.parse(await readFile(join(fixture, 'config.json'), 'utf8')), 'fixture');
  const st = await SafetensorsFile.open(join(fixture, 'model.safetensors'));
  const weights = await loadBertWeights(st, cfg);
  await st.close();

  const rows = [[2, 5, 7, 8, 9, 30, 3], [2, 33, 34, 3], [2, 3], [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3]];
  const seq = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * seq);
  const mask = new BigInt64Array(rows.length * seq);
  rows.forEach((r, b) => r.forEach((id, p) => {
    ids[b * seq + p] = BigInt(id);
    mask[b * seq + p] = 1n;
  }));
  const session = await ort.InferenceSession.create(onnx);
  const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [rows.length, seq]), attention_mask: new ort.Tensor('int64', mask, [rows.length, seq]) });
  await session.release();
  const emb = out.embedding!;
  assert.deepEqual(emb.dims, [rows.length, 16]);
  const data = emb.data as Float32Array;
  let worst = 0;
  rows.forEach((r, b) => {
    const want = referenceEmbedding(cfg, weights, r, r.map(() => 1));
    for (let h = 0; h < 16; h++) worst = Math.max(worst, Math.abs(data[b * 16 + h]! - want[h]!));
    const norm = Math.hypot(...data.subarray(b * 16, b * 16 + 16));
    assert.ok(Math.abs(norm - 1) < 1e-5, `row ${b} norm ${norm}`);
  });
  assert.ok(worst < 1e-4, `max abs difference ${worst}`);
  console.log(`tiny BERT (${kernels}): max abs difference ONNX vs reference ${worst.toExponential(2)}`);
});

test('a config the converter does not implement is refused by name', () => {
  const base = JSON.parse(JSON.stringify({ model_type: 'bert', vocab_size: 4, hidden_size: 4, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 8, max_position_embeddings: 8 }));
  assert.throws(() => parseBertConfig({ ...base, model_type: 'roberta' }, 'x/config.json'), /x\/config\.json: model_type "roberta" is not supported/);
  assert.throws(() => parseBertConfig({ ...base, hidden_act: 'relu' }, 'c'), /hidden_act "relu"/);
  assert.throws(() => parseBertConfig({ ...base, num_attention_heads: 3 }, 'c'), /not divisible/);
  assert.throws(() => parseBertConfig({ ...base, hidden_size: -1 }, 'c'), /hidden_size must be a positive integer/);
});

test('a truncated checkpoint fails naming the file, and leaves no ONNX file behind', async () => {
  const broken = join(dir, 'broken');
  await cp(fixture, broken, { recursive: true });
  const st = join(broken, 'model.safetensors');
  const bytes = await readFile(st);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(st, bytes.subarray(0, bytes.length - 100));
  const out = join(dir, 'broken.onnx');
  await assert.rejects(convertBertToOnnx(broken, out), (e: Error) => {
    assert.match(e.message, /model\.safetensors: tensor '[^']+': data ends at byte \d+ but the file holds only \d+ data bytes \(truncated\?\)/);
    return true;
  });
  assert.equal(existsSync(out), false);
  assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('broken.onnx')), []);
  await rm(broken, { recursive: true });
});

test('a checkpoint with a tensor of the wrong shape names the tensor', async () => {
  const odd = join(dir, 'odd');
  await cp(fixture, odd, { recursive: true });
  const cfg = JSON.parse(await readFile(join(odd, 'config.json'), 'utf8'));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(odd, 'config.json'), JSON.stringify({ ...cfg, intermediate_size: 64 }));
  await assert.rejects(convertBertToOnnx(odd, join(dir, 'odd.onnx')), /tensor 'encoder\.layer\.0\.intermediate\.dense\.weight' has shape \[32, 16\], the config needs \[64, 16\]/);
});
