import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GgufFile, GGML_TYPE, gv, readGgufMetadata, writeGguf } from '../../src/models/gguf/index.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gguf-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

const f32Bytes = (v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

async function writeSample(path: string, alignment = 32): Promise<void> {
  await writeGguf(path, [
    ['general.architecture', gv.str('llama')],
    ['u8', gv.of('u8', 200)], ['i8', gv.of('i8', -5)], ['u16', gv.of('u16', 60000)], ['i16', gv.of('i16', -30000)],
    ['u32', gv.u32(4000000000)], ['i32', gv.i32(-7)], ['f32', gv.f32(0.5)], ['bool', gv.bool(true)],
    ['u64', gv.u64(2n ** 60n)], ['i64', gv.i64(-42)], ['f64', gv.f64(1e-300)],
    ['tokens', gv.arr('string', ['a', 'é', '<s>'])], ['types', gv.arr('i32', [1, 2, 3])],
  ], [
    { name: 'w', dims: [3, 2], type: GGML_TYPE.F32!, data: f32Bytes([1, 2, 3, 4, 5, 6]) },
    { name: 'odd', dims: [256], type: GGML_TYPE.IQ2_XXS!, data: new Uint8Array(66) },
  ], alignment);
}

test('reads metadata of every value type, tensor infos and tensor data', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'm.gguf');
    await writeSample(path, 64);
    const f = await GgufFile.open(path);
    try {
      const m = f.metadata;
      assert.equal(m.getString('general.architecture'), 'llama');
      assert.deepEqual(['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'i64', 'f64'].map((k) => m.getNumber(k)), [200, -5, 60000, -30000, 4000000000, -7, 0.5, -42, 1e-300]);
      assert.equal(m.get('u64'), 2n ** 60n);
      assert.equal(m.getBoolean('bool'), true);
      assert.deepEqual(m.getStringArray('tokens'), ['a', 'é', '<s>']);
      assert.deepEqual(m.getNumberArray('types'), [1, 2, 3]);
      assert.equal(f.header.alignment, 64);
      assert.equal(f.header.dataOffset % 64, 0);
      const w = f.requireTensor('w');
      assert.deepEqual(w.dims, [3, 2]);
      assert.deepEqual(Array.from(await f.readFloat32('w')), [1, 2, 3, 4, 5, 6]);
      assert.equal(f.tensor('odd')!.byteSize, 66);
      await assert.rejects(f.readFloat32('odd'), /tensor 'odd': tensor type IQ2_XXS is not supported/);
      await assert.rejects(f.readFloat32('nope'), /tensor 'nope' is missing/);
      assert.throws(() => m.getString('u8'), /metadata 'u8' should be a string, found number/);
      assert.throws(() => m.getString('absent'), /metadata 'absent' is missing/);
    } finally {
      await f.close();
    }
    assert.equal((await readGgufMetadata(path)).getString('general.architecture'), 'llama');
  });
});

test('a truncated file is an error naming the tensor or field and the offset', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'm.gguf');
    await writeSample(path);
    const { size } = await stat(path);
    await truncate(path, size - 40);
    await assert.rejects(GgufFile.open(path), /tensor 'odd' \(IQ2_XXS, bytes \d+\.\.\d+\) runs past the end of the file .*truncated/);
    await truncate(path, 100);
    await assert.rejects(GgufFile.open(path), /truncated while reading .* at byte \d+ \(file is 100 bytes\)/);
  });
});

test('bad magic, bad version and corrupt lengths are named', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'm.gguf');
    await writeSample(path);
    const bytes = await readFile(path);
    const bad = Buffer.from(bytes); bad.write('GGML', 0);
    await writeFile(path, bad);
    await assert.rejects(GgufFile.open(path), /not a GGUF file \(magic at byte 0/);
    const v9 = Buffer.from(bytes); v9.writeUInt32LE(9, 4);
    await writeFile(path, v9);
    await assert.rejects(GgufFile.open(path), /GGUF version 9 at byte 4 is not supported/);
    const huge = Buffer.from(bytes); huge.writeBigUInt64LE(2n ** 62n, 24); // first key's length
    await writeFile(path, huge);
    await assert.rejects(GgufFile.open(path), /metadata key #0 length at byte 24 is \d+, more than/);
  });
});
