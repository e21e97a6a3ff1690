import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, float32ArrayToFloat16 } from '../../src/models/onnx/index.ts';
import { wrapDecoderWithEntropyHead } from '../../src/models/entropy-head.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'entropy-head-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

const V = 300;
// A stand-in "decoder" (labelled test double, not a model): logits[b, t] = tokenTable[id] + positionTable[pos].
const tokenTable = Float32Array.from({ length: 7 * V }, (_, i) => Math.sin(i * 0.37) * 6);
const positionTable = Float32Array.from({ length: 16 * V }, (_, i) => Math.cos(i * 0.11) * 3);

async function saveStandInDecoder(path: string, opts: { positionIds: boolean; fp16?: boolean; external?: boolean; opset?: number; extraInput?: string }): Promise<void> {
  const g = new GraphBuilder('stand_in', opts.opset ?? 17);
  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  g.input('attention_mask', 'int64', ['batch', 'seq']);
  let z = g.op('Gather', [g.initializer('tokens', tokenTable, [7, V]), ids], { axis: 0 });
  if (opts.positionIds) z = g.op('Add', [z, g.op('Gather', [g.initializer('positions', positionTable, [16, V]), g.input('position_ids', 'int64', ['batch', 'seq'])], { axis: 0 })]);
  if (opts.extraInput !== undefined) g.input(opts.extraInput, 'float', ['batch', 3, 'past', 8]);
  if (opts.fp16 === true) z = g.op('Cast', [z], { to: 10 });
  g.output(z, 'logits', opts.fp16 === true ? 'float16' : 'float', ['batch', 'seq', V]);
  await g.save(path, { externalData: opts.external === true ? 'always' : 'never' });
}

function expectedEntropy(ids: number[], fp16: boolean, positions: boolean): number[] {
  return ids.map((id, t) => {
    let z = Array.from({ length: V }, (_, v) => tokenTable[id * V + v]! + (positions ? positionTable[t * V + v]! : 0));
    if (fp16) z = Array.from(float32ArrayToFloat16(Float32Array.from(z)), (h) => h).map((h) => halfToFloat(h));
    const m = Math.max(...z);
    const s = z.reduce((a, x) => a + Math.exp(x - m), 0);
    const p = z.map((x) => Math.exp(x - m) / s);
    return -p.reduce((a, pi) => a + (pi > 0 ? pi * Math.log(pi) : 0), 0);
  });
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  return e === 0 ? s * f * 2 ** -24 : s * (1 + f / 1024) * 2 ** (e - 15);
}

async function run(path: string, ids: number[]): Promise<{ entropy: number[]; outputs: readonly string[]; inputs: readonly string[] }> {
  const s = await ort.InferenceSession.create(path);
  const n = ids.length;
  const out = await s.run({
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
  });
  const r = { entropy: Array.from(out.entropy!.data as Float32Array), outputs: s.outputNames, inputs: s.inputNames };
  await s.release();
  return r;
}

const ids = [3, 0, 6, 6, 1, 2, 5];
for (const variant of [
  { positionIds: true, fp16: false, external: false, opset: 17 },
  { positionIds: false, fp16: true, external: false, opset: 17 },
  { positionIds: true, fp16: false, external: true, opset: 18 },
]) {
  test(`wraps a decoder export with the entropy head (${JSON.stringify(variant)})`, async () => {
    await withDir(async (dir) => {
      await mkdir(join(dir, 'in'));
      await mkdir(join(dir, 'out'));
      const src = join(dir, 'in', 'decoder.onnx');
      await saveStandInDecoder(src, variant);
      const dst = join(dir, 'out', 'decoder-entropy.onnx');
      const res = await wrapDecoderWithEntropyHead(src, dst, { withLogits: variant.external });
      assert.equal(res.vocabSize, V);
      if (variant.external) assert.deepEqual(await readdir(join(dir, 'out')), ['decoder-entropy.onnx', 'decoder.onnx.data']);
      const got = await run(dst, ids);
      assert.deepEqual([...got.inputs].sort(), ['attention_mask', 'input_ids']);
      assert.deepEqual([...got.outputs], variant.external ? ['entropy', 'logits'] : ['entropy']);
      const want = expectedEntropy(ids, variant.fp16, variant.positionIds);
      want.forEach((w, i) => assert.ok(Math.abs(got.entropy[i]! - w) < 1e-4, `position ${i}: ${got.entropy[i]} vs ${w}`));
    });
  });
}

test('refuses decoders with past key/values or without logits, naming what is wrong', async () => {
  await withDir(async (dir) => {
    const src = join(dir, 'd.onnx');
    await saveStandInDecoder(src, { positionIds: false, extraInput: 'past_key_values.0.key' });
    await assert.rejects(wrapDecoderWithEntropyHead(src, join(dir, 'o.onnx')), /unsupported decoder inputs past_key_values\.0\.key/);
    await saveStandInDecoder(src, { positionIds: false });
    await assert.rejects(wrapDecoderWithEntropyHead(src, join(dir, 'o.onnx'), { logitsOutput: 'scores' }), /no output named 'scores' \(outputs: logits\)/);
    await assert.rejects(wrapDecoderWithEntropyHead(join(dir, 'missing.onnx'), join(dir, 'o.onnx')), /missing\.onnx: cannot read/);
    assert.deepEqual((await readdir(dir)).sort(), ['d.onnx']);
  });
});
