import { open, type FileHandle } from 'node:fs/promises';
import { EntropyLongError } from '../../util/errors.ts';
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VALUE_TYPE as T, type GgufTensorInfo, type GgufValue } from './gguf-format.ts';
import { ggmlByteSize, ggmlTypeInfo, ggmlTypeName } from './ggml-types.ts';
import { dequantize } from './dequantize.ts';
import { GgufMetadata } from './gguf-metadata.ts';

/** A malformed GGUF file; the message names the file, the field and the byte offset. */
export class GgufFormatError extends EntropyLongError {}

class NeedMoreBytes extends Error {}

/** Little-endian cursor over the first bytes of the file; throws NeedMoreBytes past its buffer. */
class Cursor {
  pos = 0;
  private readonly dv: DataView;
  constructor(private readonly buf: Buffer, private readonly isWholeFile: boolean, private readonly path: string) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number, field: string): number {
    if (this.pos + n > this.buf.byteLength) {
      if (this.isWholeFile) throw new GgufFormatError(`${this.path}: truncated while reading ${field} at byte ${this.pos} (file is ${this.buf.byteLength} bytes)`);
      throw new NeedMoreBytes();
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }
  u8(f: string) { return this.dv.getUint8(this.need(1, f)); }
  i8(f: string) { return this.dv.getInt8(this.need(1, f)); }
  u16(f: string) { return this.dv.getUint16(this.need(2, f), true); }
  i16(f: string) { return this.dv.getInt16(this.need(2, f), true); }
  u32(f: string) { return this.dv.getUint32(this.need(4, f), true); }
  i32(f: string) { return this.dv.getInt32(this.need(4, f), true); }
  f32(f: string) { return this.dv.getFloat32(this.need(4, f), true); }
  f64(f: string) { return this.dv.getFloat64(this.need(8, f), true); }
  u64(f: string): number | bigint { return narrow(this.dv.getBigUint64(this.need(8, f), true)); }
  i64(f: string): number | bigint { return narrow(this.dv.getBigInt64(this.need(8, f), true)); }
  /** A u64 that must be a usable size/count. */
  size(f: string, max = Number.MAX_SAFE_INTEGER): number {
    const at = this.pos;
    const v = this.dv.getBigUint64(this.need(8, f), true);
    if (v > BigInt(max)) throw new GgufFormatError(`${this.path}: ${f} at byte ${at} is ${v}, more than ${max}`);
    return Number(v);
  }
  str(f: string): string {
    const len = this.size(`${f} length`, 1 << 30);
    const at = this.need(len, f);
    return this.buf.toString('utf8', at, at + len);
  }
}

const narrow = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v);

export interface GgufHeader {
  version: number;
  metadata: GgufMetadata;
  tensors: GgufTensorInfo[];
  alignment: number;
  dataOffset: number;
  fileSize: number;
}

function parseHeader(buf: Buffer, isWholeFile: boolean, fileSize: number, path: string): GgufHeader {
  const c = new Cursor(buf, isWholeFile, path);
  const magic = c.u32('magic');
  if (magic !== GGUF_MAGIC) throw new GgufFormatError(`${path}: not a GGUF file (magic at byte 0 is 0x${magic.toString(16)}, expected "GGUF")`);
  const version = c.u32('version');
  if (version !== 2 && version !== 3) throw new GgufFormatError(`${path}: GGUF version ${version} at byte 4 is not supported (2 and 3 are)`);
  const tensorCount = c.size('tensor_count', 1e7);
  const kvCount = c.size('metadata_kv_count', 1e7);
  const entries = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const at = c.pos;
    const key = c.str(`metadata key #${i}`);
    const type = c.u32(`type of metadata '${key}'`);
    entries.set(key, readValue(c, type, key, at, path));
  }
  const metadata = new GgufMetadata(entries, path);
  const alignment = metadata.has('general.alignment') ? metadata.getNumber('general.alignment') : GGUF_DEFAULT_ALIGNMENT;
  if (!Number.isInteger(alignment) || alignment <= 0 || alignment % 8 !== 0) throw new GgufFormatError(`${path}: general.alignment ${alignment} is not a positive multiple of 8`);
  const infos: Omit<GgufTensorInfo, 'fileOffset'>[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const at = c.pos;
    const name = c.str(`name of tensor #${i}`);
    const nDims = c.u32(`n_dims of tensor '${name}'`);
    if (nDims === 0 || nDims > 4) throw new GgufFormatError(`${path}: tensor '${name}' (info at byte ${at}) has ${nDims} dimensions`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(c.size(`dim ${d} of tensor '${name}'`, 2 ** 40));
    const type = c.u32(`type of tensor '${name}'`);
    const offset = c.size(`offset of tensor '${name}'`);
    const elementCount = dims.reduce((a, b) => a * b, 1);
    const info = ggmlTypeInfo(type);
    if (info === undefined) throw new GgufFormatError(`${path}: tensor '${name}' has unknown ggml type ${type} (info at byte ${at})`);
    if (dims[0]! % info.blockSize !== 0) throw new GgufFormatError(`${path}: tensor '${name}' row of ${dims[0]} is not a multiple of the ${info.name} block size ${info.blockSize}`);
    infos.push({ name, dims, type, offset, elementCount, byteSize: ggmlByteSize(info, elementCount) });
  }
  const dataOffset = Math.ceil(c.pos / alignment) * alignment;
  const tensors = infos.map((t) => ({ ...t, fileOffset: dataOffset + t.offset }));
  for (const t of tensors) {
    if (t.offset % alignment !== 0) throw new GgufFormatError(`${path}: tensor '${t.name}' offset ${t.offset} is not aligned to ${alignment}`);
    if (t.fileOffset + t.byteSize > fileSize) {
      throw new GgufFormatError(`${path}: tensor '${t.name}' (${ggmlTypeName(t.type)}, bytes ${t.fileOffset}..${t.fileOffset + t.byteSize}) runs past the end of the file (${fileSize} bytes): truncated`);
    }
  }
  return { version, metadata, tensors, alignment, dataOffset, fileSize };
}

function readValue(c: Cursor, type: number, key: string, at: number, path: string): GgufValue {
  const f = `value of '${key}'`;
  switch (type) {
    case T.UINT8: return c.u8(f);
    case T.INT8: return c.i8(f);
    case T.UINT16: return c.u16(f);
    case T.INT16: return c.i16(f);
    case T.UINT32: return c.u32(f);
    case T.INT32: return c.i32(f);
    case T.FLOAT32: return c.f32(f);
    case T.BOOL: {
      const b = c.u8(f);
      if (b > 1) throw new GgufFormatError(`${path}: bool ${f} at byte ${c.pos - 1} is ${b}`);
      return b === 1;
    }
    case T.STRING: return c.str(f);
    case T.UINT64: return c.u64(f);
    case T.INT64: return c.i64(f);
    case T.FLOAT64: return c.f64(f);
    case T.ARRAY: {
      const elemType = c.u32(`element type of '${key}'`);
      if (elemType === T.ARRAY) throw new GgufFormatError(`${path}: nested arrays in '${key}' (at byte ${at}) are not supported`);
      const n = c.size(`length of '${key}'`, 1e9);
      const out: GgufValue[] = new Array<GgufValue>(n);
      for (let i = 0; i < n; i++) out[i] = readValue(c, elemType, `${key}[${i}]`, at, path);
      return out;
    }
    default:
      throw new GgufFormatError(`${path}: metadata '${key}' (at byte ${at}) has unknown value type ${type}`);
  }
}

/** A GGUF file open for lazy tensor reads (fs reads at offsets; the file is never loaded whole). */
export class GgufFile {
  private constructor(private readonly fh: FileHandle, readonly path: string, readonly header: GgufHeader) {}

  static async open(path: string): Promise<GgufFile> {
    const fh = await open(path, 'r').catch((e: unknown) => {
      throw new EntropyLongError(`cannot open GGUF ${path}: ${(e as Error).message}`, { cause: e });
    });
    try {
      const { size } = await fh.stat();
      for (let want = Math.min(size, 4 << 20); ; want = Math.min(size, want * 4)) {
        const buf = Buffer.alloc(want);
        await readFully(fh, buf, 0);
        try {
          return new GgufFile(fh, path, parseHeader(buf, want === size, size, path));
        } catch (e) {
          if (!(e instanceof NeedMoreBytes)) throw e;
        }
      }
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  get metadata(): GgufMetadata { return this.header.metadata; }
  get tensors(): readonly GgufTensorInfo[] { return this.header.tensors; }

  tensor(name: string): GgufTensorInfo | undefined {
    return this.header.tensors.find((t) => t.name === name);
  }

  requireTensor(name: string): GgufTensorInfo {
    const t = this.tensor(name);
    if (t === undefined) throw new GgufFormatError(`${this.path}: tensor '${name}' is missing`);
    return t;
  }

  /** The tensor's raw bytes as stored (quantised blocks for quantised types). */
  async readRaw(name: string): Promise<Buffer> {
    const t = this.requireTensor(name);
    const buf = Buffer.alloc(t.byteSize);
    await readFully(this.fh, buf, t.fileOffset);
    return buf;
  }

  /** The tensor dequantised to float32, in ggml order (dims[0] contiguous). */
  async readFloat32(name: string): Promise<Float32Array> {
    const t = this.requireTensor(name);
    return dequantize(t.type, await this.readRaw(name), t.elementCount, `${this.path}: tensor '${name}'`);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.byteLength) {
    const { bytesRead } = await fh.read(buf, done, Math.min(buf.byteLength - done, 1 << 30), position + done);
    if (bytesRead === 0) throw new GgufFormatError(`unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
}
