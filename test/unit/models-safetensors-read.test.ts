import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SafetensorsFile, writeSafetensors, halfToFloat } from '../../src/models/safetensors/index.ts';

const dir = await mkdtemp(join(tmpdir(), 'st-test-'));

/** Builds a raw safetensors file from a header object and a data blob. */
async function raw(name: string, header: unknown, data: Uint8Array): Promise<string> {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const path = join(dir, name);
  await writeFile(path, Buffer.concat([len, json, data]));
  return path;
}

test('write then read round-trips F32 and I64 tensors and metadata', async () => {
  const path = join(dir, 'rt.safetensors');
  const a = Float32Array.from([1.5, -2, 3.25, 0, 1e-8, 7]);
  const ids = BigInt64Array.from([0n, 1n, 2n]);
  await writeSafetensors(path, [
    { name: 'a', dtype: 'F32', shape: [2, 3], data: a },
    { name: 'ids', dtype: 'I64', shape: [3], data: ids },
  ], { format: 'pt' });
  const f = await SafetensorsFile.open(path);
  try {
    assert.deepEqual(f.metadata, { format: 'pt' });
    assert.deepEqual(f.info('a').shape, [2, 3]);
    assert.deepEqual([...(await f.readFloat32('a'))], [...a]);
    assert.deepEqual([...(await f.readFloat32('ids'))], [0, 1, 2]);
    const bytes = await readFile(path);
    assert.equal(bytes.readBigUInt64LE(0) % 8n, 0n, 'header padded to 8 bytes');
  } finally {
    await f.close();
  }
});

test('F16 and BF16 convert to float32', async () => {
  const data = Buffer.alloc(8);
  data.writeUInt16LE(0x3c00, 0); // f16 1.0
  data.writeUInt16LE(0xc000, 2); // f16 -2.0
  data.writeUInt16LE(0x3f80, 4); // bf16 1.0
  data.writeUInt16LE(0x4049, 6); // bf16 3.140625
  const path = await raw('half.safetensors', {
    h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
    b: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
  }, data);
  const f = await SafetensorsFile.open(path);
  assert.deepEqual([...(await f.readFloat32('h'))], [1, -2]);
  assert.deepEqual([...(await f.readFloat32('b'))], [1, 3.140625]);
  await f.close();
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x7c00), Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
});

const bad: [string, unknown, number, RegExp][] = [
  ['unknown dtype', { t: { dtype: 'Q4', shape: [1], data_offsets: [0, 4] } }, 4, /tensor 't': unsupported dtype "Q4"/],
  ['size mismatch', { t: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 4, /tensor 't': 4 data bytes but shape \[2\] of F32 needs 8/],
  ['past the end', { t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 4, /tensor 't': data ends at byte 8 but the file holds only 4 data bytes \(truncated\?\)/],
  ['overlap', { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [2, 6] } }, 8, /overlaps/],
  ['bad shape', { t: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4, /shape \[-1\]/],
  ['not an object', [1, 2], 0, /header is not a JSON object/],
];
for (const [what, header, n, re] of bad) {
  test(`corrupt header (${what}) names the file and tensor`, async () => {
    const path = await raw(`${what.replace(/ /g, '-')}.safetensors`, header, new Uint8Array(n));
    await assert.rejects(SafetensorsFile.open(path), (e: Error) => {
      assert.match(e.message, re);
      assert.ok(e.message.includes(path), e.message);
      return true;
    });
  });
}

test('truncated header and garbage are refused', async () => {
  const path = join(dir, 'rt2.safetensors');
  await writeSafetensors(path, [{ name: 'a', dtype: 'F32', shape: [4], data: new Float32Array(4) }]);
  await truncate(path, 20);
  await assert.rejects(SafetensorsFile.open(path), /header length \d+ runs past the end of the 20-byte file/);
  const junk = join(dir, 'junk.safetensors');
  await writeFile(junk, Buffer.from('{"not": "a safetensors file at all"}'));
  await assert.rejects(SafetensorsFile.open(junk), /header length|not valid JSON/);
  await writeFile(junk, Buffer.alloc(3));
  await assert.rejects(SafetensorsFile.open(junk), /shorter than the 8-byte header length/);
});

test('a missing tensor is an error naming it', async () => {
  const path = join(dir, 'rt.safetensors');
  const f = await SafetensorsFile.open(path);
  await assert.rejects(f.readFloat32('nope'), /tensor 'nope' is missing/);
  await f.close();
});
