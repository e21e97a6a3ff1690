import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { readZipDirectory, extractZipEntry, fetchWheel, sha256File } from '../../src/models/fetch/index.ts';
import { Crc32 } from '../../src/models/fetch/crc32.ts';

const dir = await mkdtemp(join(tmpdir(), 'zip-test-'));

/** A minimal zip writer for the test: stored or deflated entries, no zip64. */
function makeZip(files: { name: string; data: Buffer; deflate: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const crc = new Crc32();
    crc.update(f.data);
    const body = f.deflate ? deflateRawSync(f.data) : f.data;
    const name = Buffer.from(f.name);
    const lfh = Buffer.alloc(30);
    lfh.writeUInt32LE(0x04034b50, 0);
    lfh.writeUInt16LE(f.deflate ? 8 : 0, 8);
    lfh.writeUInt32LE(crc.value, 14);
    lfh.writeUInt32LE(body.length, 18);
    lfh.writeUInt32LE(f.data.length, 22);
    lfh.writeUInt16LE(name.length, 26);
    const cdh = Buffer.alloc(46);
    cdh.writeUInt32LE(0x02014b50, 0);
    cdh.writeUInt16LE(f.deflate ? 8 : 0, 10);
    cdh.writeUInt32LE(crc.value, 16);
    cdh.writeUInt32LE(body.length, 20);
    cdh.writeUInt32LE(f.data.length, 24);
    cdh.writeUInt16LE(name.length, 28);
    cdh.writeUInt32LE(offset, 42);
    locals.push(lfh, name, body);
    centrals.push(cdh, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

test('reads the central directory and extracts stored and deflated entries', async () => {
  const big = Buffer.from('all work and no play '.repeat(5000));
  const zip = join(dir, 'a.zip');
  await writeFile(zip, makeZip([
    { name: 'pkg/big.txt', data: big, deflate: true },
    { name: 'pkg/small.bin', data: Buffer.from([1, 2, 3]), deflate: false },
    { name: 'pkg/empty', data: Buffer.alloc(0), deflate: false },
  ]));
  const entries = await readZipDirectory(zip);
  assert.deepEqual(entries.map((e) => e.name), ['pkg/big.txt', 'pkg/small.bin', 'pkg/empty']);
  for (const e of entries) await extractZipEntry(zip, e, join(dir, e.name.replace('pkg/', '')));
  assert.deepEqual(await readFile(join(dir, 'big.txt')), big);
  assert.deepEqual([...(await readFile(join(dir, 'small.bin')))], [1, 2, 3]);
  assert.equal((await readFile(join(dir, 'empty'))).length, 0);
});

test('a corrupted entry fails its CRC check and leaves nothing behind', async () => {
  const data = Buffer.from('0123456789abcdef'.repeat(64));
  const bytes = makeZip([{ name: 'x.txt', data, deflate: false }]);
  const at = 30 + 'x.txt'.length + 100;
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  const zip = join(dir, 'bad.zip');
  await writeFile(zip, bytes);
  const [entry] = await readZipDirectory(zip);
  const dest = join(dir, 'x.txt');
  await assert.rejects(extractZipEntry(zip, entry!, dest), /bad\.zip: entry 'x\.txt': CRC-32 mismatch/);
  assert.equal(existsSync(dest), false);
  assert.deepEqual((await readdir(dir)).filter((f) => f.includes('.tmp-')), []);
});

test('a file that is not a zip, or is truncated, is refused by name', async () => {
  const junk = join(dir, 'junk.whl');
  await writeFile(junk, Buffer.from('definitely not a zip'));
  await assert.rejects(readZipDirectory(junk), /junk\.whl: no end-of-central-directory record/);
  const whole = makeZip([{ name: 'y', data: Buffer.alloc(5000, 7), deflate: false }]);
  const cut = join(dir, 'cut.zip');
  await writeFile(cut, whole.subarray(0, 2000));
  await assert.rejects(readZipDirectory(cut), /cut\.zip/);
});

test('crc32 matches the standard check value', () => {
  const c = new Crc32();
  c.update(Buffer.from('123456789'));
  assert.equal(c.value, 0xcbf43926);
});

test('fetchWheel uses a cached wheel whose sha256 matches, without running pip', async () => {
  const cacheDir = join(dir, 'cache');
  execFileSync('mkdir', ['-p', cacheDir]);
  const wheel = join(cacheDir, 'fake-1.0-py3-none-any.whl');
  await writeFile(wheel, 'wheel bytes');
  const pin = { package: 'fake', version: '1.0', wheel: 'fake-1.0-py3-none-any.whl', sha256: await sha256File(wheel) };
  const got = await fetchWheel(pin, { cacheDir, python: '/nonexistent/python' });
  assert.equal(got.fromCache, true);
  assert.equal(got.path, wheel);
});

test('fetchWheel with a mismatching cache and no python says what is missing', async () => {
  const cacheDir = join(dir, 'cache2');
  execFileSync('mkdir', ['-p', cacheDir]);
  await writeFile(join(cacheDir, 'fake-1.0-py3-none-any.whl'), 'tampered');
  const pin = { package: 'fake', version: '1.0', wheel: 'fake-1.0-py3-none-any.whl', sha256: '0'.repeat(64) };
  const lines: string[] = [];
  await assert.rejects(fetchWheel(pin, { cacheDir, python: '/nonexistent/python', onProgress: (l) => lines.push(l) }), /'\/nonexistent\/python' not found: fetching fake==1\.0 needs Python 3 with pip/);
  assert.match(lines[0] ?? '', /expected 0{64}: downloading again/);
  assert.deepEqual(await readdir(cacheDir), [], 'the tampered file and the temp folder are gone');
});
