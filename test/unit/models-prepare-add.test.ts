import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { addDecoderModel } from '../../src/models/add-model.ts';
import { readManifest } from '../../src/models/manifest.ts';
import { GraphBuilder } from '../../src/models/onnx/index.ts';

const tokenizer = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tiny-bert', 'tokenizer.json');
const V = 5;
const table = Float32Array.from({ length: 7 * V }, (_, i) => Math.sin(i * 1.7) * 3);

/** A stand-in decoder export (labelled test double, not a model): logits[b, t] = table[input_ids[b, t]]. */
async function standInDecoder(dir: string): Promise<string> {
  const g = new GraphBuilder('stand_in', 17);
  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  g.input('attention_mask', 'int64', ['batch', 'seq']);
  const logits = g.op('Gather', [g.initializer('table', table, [7, V]), ids], { axis: 0 });
  g.output(logits, 'logits', 'float', ['batch', 'seq', V]);
  const path = join(dir, 'model.onnx');
  await g.save(path);
  return path;
}

const entropyOf = (row: number): number => {
  const z = Array.from(table.subarray(row * V, row * V + V));
  const m = Math.max(...z);
  const s = z.reduce((a, v) => a + Math.exp(v - m), 0);
  return -z.reduce((a, v) => a + (Math.exp(v - m) / s) * (v - m - Math.log(s)), 0);
};

test('models add: wraps a decoder export with the entropy head and records it in the manifest', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'add-'));
  const exportDir = join(dir, 'my-llm');
  await (await import('node:fs/promises')).mkdir(exportDir);
  const onnx = await standInDecoder(exportDir);
  await writeFile(join(exportDir, 'config.json'), JSON.stringify({ model_type: 'llama', max_position_embeddings: 64 }));
  const modelsDir = join(dir, 'models');
  const added = await addDecoderModel({ onnx, tokenizer, modelsDir });
  assert.deepEqual({ name: added.name, ctx: added.contextLength, isDefault: added.isDefault }, { name: 'my-llm', ctx: 64, isDefault: true });
  const manifest = await readManifest(modelsDir);
  const entry = manifest.models['my-llm'];
  assert.equal(entry?.role, 'scorer');
  assert.equal(entry?.architecture, 'llama');
  assert.equal(entry?.source.kind, 'user');
  assert.equal(manifest.defaults.scorer, 'my-llm');
  assert.ok(existsSync(join(modelsDir, 'my-llm', 'tokenizer.json')));

  const s = await ort.InferenceSession.create(added.onnxPath);
  const ids = BigInt64Array.from([0n, 3n, 6n]);
  const out = await s.run({ input_ids: new ort.Tensor('int64', ids, [1, 3]), attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n]), [1, 3]) });
  await s.release();
  const h = out.entropy!.data as Float32Array;
  [0, 3, 6].forEach((row, t) => assert.ok(Math.abs(h[t]! - entropyOf(row)) < 1e-5, `position ${t}: ${h[t]} vs ${entropyOf(row)}`));

  const second = await addDecoderModel({ onnx, tokenizer, modelsDir, name: 'other', contextLength: 32 });
  assert.equal(second.isDefault, false, 'the first scorer stays the default unless --set-default');
});

test('models add: bad input fails naming it, leaving the manifest untouched', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'add-'));
  const onnx = await standInDecoder(dir);
  const modelsDir = join(dir, 'models');
  await assert.rejects(addDecoderModel({ onnx, tokenizer, modelsDir }), /--context-length is needed/);
  await assert.rejects(addDecoderModel({ onnx: join(dir, 'nope.onnx'), tokenizer, modelsDir, contextLength: 8 }), /--onnx .*nope\.onnx is not a file/);
  await writeFile(join(dir, 'bad-tokenizer.json'), '{"model": ');
  await assert.rejects(addDecoderModel({ onnx, tokenizer: join(dir, 'bad-tokenizer.json'), modelsDir, contextLength: 8 }), /bad-tokenizer\.json.*not valid JSON/);
  await writeFile(join(dir, 'broken.onnx'), 'not a model');
  await assert.rejects(addDecoderModel({ onnx: join(dir, 'broken.onnx'), tokenizer, modelsDir, contextLength: 8, name: 'broken' }), /broken\.onnx/);
  assert.deepEqual((await readManifest(modelsDir)).models, {});
  assert.deepEqual((await readdir(modelsDir)).filter((f) => f !== 'manifest.json'), []);
});
