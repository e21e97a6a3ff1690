import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, float32ArrayToFloat16, float16BitsToFloat32 } from '../../src/models/onnx/index.ts';

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'onnx-builder-'));
  try { return await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

function buildGraph(): GraphBuilder {
  const g = new GraphBuilder();
  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  const table = g.initializer('table', Float32Array.from([0, 1, 2, 10, 20, 30, -1, -2, -3]), [3, 3]);
  const emb = g.op('Gather', [table, ids], { axis: 0 });
  const w = g.initializer('w', float32ArrayToFloat16(Float32Array.from([1, 0.5, 2, -1, 0.25, 4])), [3, 2]);
  const w32 = g.op('Cast', [w], { to: 1 });
  const y = g.op('MatMul', [emb, w32]);
  const summed = g.op('ReduceSum', [y, g.constInt64([-1], [1])], { keepdims: 0 });
  const scaled = g.op('Mul', [summed, g.constFloat([0.5])]);
  g.output(scaled, 'score', 'float', ['batch', 'seq']);
  return g;
}

// score(id) = 0.5 · Σ_j (table[id] · w)[j]
const expected = (id: number): number => {
  const rows = [[0, 1, 2], [10, 20, 30], [-1, -2, -3]];
  const w = [[1, 0.5], [2, -1], [0.25, 4]];
  const r = rows[id]!;
  let s = 0;
  for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) s += r[k]! * w[k]![j]!;
  return 0.5 * s;
};

for (const externalData of ['never', 'always'] as const) {
  test(`GraphBuilder writes a model onnxruntime runs (externalData=${externalData})`, async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'm.onnx');
      await buildGraph().save(path, { externalData });
      const files = (await readdir(dir)).sort();
      assert.deepEqual(files, ['m.onnx'], 'small tensors stay inline');
      const session = await ort.InferenceSession.create(path);
      assert.deepEqual(session.inputNames, ['input_ids']);
      assert.deepEqual(session.outputNames, ['score']);
      const ids = [0, 1, 2, 1, 1, 0];
      const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [2, 3]) });
      const score = out.score!;
      assert.deepEqual(score.dims, [2, 3]);
      ids.forEach((id, i) => assert.ok(Math.abs((score.data as Float32Array)[i]! - expected(id)) < 1e-5));
      await session.release();
    });
  });
}

test('large initializers go to an external data file that onnxruntime reads', async () => {
  await withDir(async (dir) => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float', ['n', 1024]);
    const w = new Float32Array(1024 * 4).map((_, i) => (i % 7) - 3);
    const y = g.op('MatMul', [x, g.initializer('w', w, [1024, 4])]);
    g.output(y, 'y', 'float', ['n', 4]);
    const path = join(dir, 'big.onnx');
    await g.save(path, { externalData: 'always' });
    assert.deepEqual((await readdir(dir)).sort(), ['big.onnx', 'big.onnx.data']);
    const session = await ort.InferenceSession.create(path);
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(1024).fill(1), [1, 1024]) });
    const got = Array.from(out.y!.data as Float32Array);
    const want = [0, 1, 2, 3].map((j) => { let s = 0; for (let k = 0; k < 1024; k++) s += w[k * 4 + j]!; return s; });
    assert.deepEqual(got, want);
    await session.release();
  });
});

test('float16 conversion round-trips representable values and rounds to nearest even', () => {
  for (const v of [0, 1, -2.5, 65504, 6.103515625e-5, 5.960464477539063e-8, 0.1]) {
    const back = float16BitsToFloat32(float32ArrayToFloat16(Float32Array.from([v]))[0]!);
    assert.ok(Math.abs(back - v) <= Math.abs(v) * 1e-3, `${v} → ${back}`);
  }
  assert.equal(float32ArrayToFloat16(Float32Array.from([1 + 2 ** -11]))[0], 0x3c00); // tie → even
  assert.equal(float32ArrayToFloat16(Float32Array.from([1e6]))[0], 0x7c00); // overflow → inf
});

test('duplicate graph names are refused', () => {
  const g = new GraphBuilder();
  g.input('x', 'float', [1]);
  assert.throws(() => g.input('x', 'float', [1]), /already used/);
});
