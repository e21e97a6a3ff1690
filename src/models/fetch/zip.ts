import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { UserError } from '../../util/errors.ts';
import { Crc32 } from './crc32.ts';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;

/**
 * Reads a zip's central directory (wheels are zips). Zip64 archives, encrypted entries and
 * methods other than stored/deflate are refused by name rather than misread.
 */
export async function readZipDirectory(path: string): Promise<ZipEntry[]> {
  const fail = (what: string): never => {
    throw new UserError(`zip ${path}: ${what}`);
  };
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIG) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) fail('no end-of-central-directory record (not a zip, or truncated)');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff) fail('zip64 archives are not supported');
    if (cdOffset + cdSize > size) fail(`central directory [${cdOffset}, ${cdOffset + cdSize}) runs past the ${size}-byte file (truncated?)`);
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cdSize || cd.readUInt32LE(p) !== CDH_SIG) fail(`central directory entry ${i} is corrupt`);
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      const entry: ZipEntry = {
        name,
        method,
        crc32: cd.readUInt32LE(p + 16),
        compressedSize: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24),
        localHeaderOffset: cd.readUInt32LE(p + 42),
      };
      if (flags & 1) fail(`entry '${name}' is encrypted`);
      if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localHeaderOffset === 0xffffffff) fail(`entry '${name}' needs zip64, which is not supported`);
      entries.push(entry);
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/**
 * Extracts one entry to `dest` (through a temporary name), checking its size and CRC-32; on any
 * failure nothing is left at `dest`.
 */
export async function extractZipEntry(zipPath: string, entry: ZipEntry, dest: string): Promise<void> {
  const fail = (what: string): never => {
    throw new UserError(`zip ${zipPath}: entry '${entry.name}': ${what}`);
  };
  if (entry.method !== 0 && entry.method !== 8) fail(`compression method ${entry.method} is not supported (only stored and deflate)`);
  const fh = await open(zipPath, 'r');
  let dataStart: number;
  try {
    const lfh = Buffer.alloc(30);
    await fh.read(lfh, 0, 30, entry.localHeaderOffset);
    if (lfh.readUInt32LE(0) !== LFH_SIG) fail('local header is corrupt');
    dataStart = entry.localHeaderOffset + 30 + lfh.readUInt16LE(26) + lfh.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  const tmp = `${dest}.tmp-${process.pid}`;
  const crc = new Crc32();
  let written = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc.update(chunk);
      written += chunk.length;
      done(null, chunk);
    },
  });
  try {
    const source = entry.compressedSize === 0
      ? Readable.from([]) // createReadStream treats end < start as an error; an empty entry has no bytes
      : createReadStream(zipPath, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
    const inflate = entry.method === 8 ? createInflateRaw() : new PassThrough();
    await pipeline(source, inflate, check, createWriteStream(tmp));
    if (written !== entry.size) fail(`extracted ${written} bytes, the directory says ${entry.size}`);
    if (crc.value !== entry.crc32) fail('CRC-32 mismatch (corrupt archive)');
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof UserError) throw e;
    throw new UserError(`zip ${zipPath}: entry '${entry.name}': ${(e as Error).message}`, { cause: e });
  }
}
