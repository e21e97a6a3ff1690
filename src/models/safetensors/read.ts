import { open, type FileHandle } from 'node:fs/promises';
import { UserError } from '../../util/errors.ts';
import { SAFETENSORS_DTYPES, bytesToFloat32, isSafetensorsDtype, type SafetensorsDtype } from './dtypes.ts';

export interface TensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Absolute byte range in the file. */
  readonly begin: number;
  readonly end: number;
}

/** Headers beyond this are refused rather than parsed (the format's own reference limit). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/**
 * An open safetensors file whose header has been validated in full: every tensor's dtype is
 * known, its byte length matches its shape, and it lies inside the file without overlapping
 * another. Tensor data is read on demand.
 */
export class SafetensorsFile {
  private constructor(
    readonly path: string,
    readonly tensors: ReadonlyMap<string, TensorInfo>,
    readonly metadata: Readonly<Record<string, string>>,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<SafetensorsFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      throw new UserError(`safetensors ${path}: cannot open (${(e as Error).message})`, { cause: e });
    }
    try {
      const { tensors, metadata } = await readHeader(path, handle);
      return new SafetensorsFile(path, tensors, metadata, handle);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  info(name: string): TensorInfo {
    const t = this.tensors.get(name);
    if (!t) throw new UserError(`safetensors ${this.path}: tensor '${name}' is missing`);
    return t;
  }

  async readBytes(name: string): Promise<Uint8Array> {
    const t = this.info(name);
    const buf = new Uint8Array(t.end - t.begin);
    const { bytesRead } = await this.handle.read(buf, 0, buf.length, t.begin);
    if (bytesRead !== buf.length) throw new UserError(`safetensors ${this.path}: tensor '${name}' is truncated (read ${bytesRead} of ${buf.length} bytes)`);
    return buf;
  }

  /** The tensor's values as float32, whatever its stored dtype. */
  async readFloat32(name: string): Promise<Float32Array> {
    return bytesToFloat32(await this.readBytes(name), this.info(name).dtype);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

async function readHeader(path: string, handle: FileHandle): Promise<{ tensors: Map<string, TensorInfo>; metadata: Record<string, string> }> {
  const fail = (what: string): never => {
    throw new UserError(`safetensors ${path}: ${what}`);
  };
  const { size } = await handle.stat();
  if (size < 8) fail(`file is ${size} bytes, shorter than the 8-byte header length (truncated?)`);
  const lenBuf = Buffer.alloc(8);
  await handle.read(lenBuf, 0, 8, 0);
  const headerLen = Number(lenBuf.readBigUInt64LE(0));
  if (headerLen > MAX_HEADER_BYTES) fail(`header length ${headerLen} exceeds ${MAX_HEADER_BYTES} bytes (not a safetensors file?)`);
  if (8 + headerLen > size) fail(`header length ${headerLen} runs past the end of the ${size}-byte file (truncated?)`);
  const headerBuf = Buffer.alloc(headerLen);
  await handle.read(headerBuf, 0, headerLen, 8);
  let header: unknown;
  try {
    header = JSON.parse(headerBuf.toString('utf8'));
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('header is not a JSON object');

  const dataStart = 8 + headerLen;
  const dataLen = size - dataStart;
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(raw, fail);
      continue;
    }
    const where = `tensor '${name}'`;
    if (typeof raw !== 'object' || raw === null) return fail(`${where}: entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (!isSafetensorsDtype(dtype)) return fail(`${where}: unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(SAFETENSORS_DTYPES).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) return fail(`${where}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) return fail(`${where}: data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
    const [b, e] = offsets as [number, number];
    const expected = (shape as number[]).reduce((a, d) => a * d, 1) * SAFETENSORS_DTYPES[dtype];
    if (e < b) fail(`${where}: data_offsets [${b}, ${e}] end before they begin`);
    if (e - b !== expected) fail(`${where}: ${e - b} data bytes but shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${expected}`);
    if (e > dataLen) fail(`${where}: data ends at byte ${e} but the file holds only ${dataLen} data bytes (truncated?)`);
    tensors.set(name, { name, dtype, shape: shape as number[], begin: dataStart + b, end: dataStart + e });
  }
  const sorted = [...tensors.values()].sort((x, y) => x.begin - y.begin);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.begin < prev.end) fail(`tensor '${cur.name}' overlaps tensor '${prev.name}'`);
  }
  return { tensors, metadata };
}

function parseMetadata(raw: unknown, fail: (what: string) => never): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('__metadata__ is not an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`);
    out[k] = v as string;
  }
  return out;
}
