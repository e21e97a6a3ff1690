import { writeFileAtomically } from '../../util/atomic-file.ts';
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VALUE_TYPE as T } from './gguf-format.ts';
import { ggmlByteSize, ggmlTypeInfo } from './ggml-types.ts';

/**
 * A small GGUF v3 writer for fixtures and tests (not a quantiser: tensor bytes are given already
 * in the target ggml type). Written to a temp name and renamed at the end.
 */
type ScalarKind = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'bool' | 'string' | 'u64' | 'i64' | 'f64';
export type GgufWriteValue =
  | { kind: ScalarKind; value: number | bigint | boolean | string }
  | { kind: 'array'; elem: ScalarKind; values: readonly (number | bigint | boolean | string)[] };

export const gv = {
  u8: (v: number): GgufWriteValue => ({ kind: 'u8', value: v }),
  i32: (v: number): GgufWriteValue => ({ kind: 'i32', value: v }),
  u32: (v: number): GgufWriteValue => ({ kind: 'u32', value: v }),
  u64: (v: number | bigint): GgufWriteValue => ({ kind: 'u64', value: v }),
  i64: (v: number | bigint): GgufWriteValue => ({ kind: 'i64', value: v }),
  f32: (v: number): GgufWriteValue => ({ kind: 'f32', value: v }),
  f64: (v: number): GgufWriteValue => ({ kind: 'f64', value: v }),
  bool: (v: boolean): GgufWriteValue => ({ kind: 'bool', value: v }),
  str: (v: string): GgufWriteValue => ({ kind: 'string', value: v }),
  arr: (elem: ScalarKind, values: readonly (number | bigint | boolean | string)[]): GgufWriteValue => ({ kind: 'array', elem, values }),
  of: (kind: ScalarKind, value: number | bigint | boolean | string): GgufWriteValue => ({ kind, value }),
};

export interface GgufWriteTensor {
  name: string;
  /** ggml order: dims[0] contiguous. */
  dims: readonly number[];
  type: number;
  data: Uint8Array;
}

const KIND_CODE: Record<ScalarKind, number> = {
  u8: T.UINT8, i8: T.INT8, u16: T.UINT16, i16: T.INT16, u32: T.UINT32, i32: T.INT32, f32: T.FLOAT32,
  bool: T.BOOL, string: T.STRING, u64: T.UINT64, i64: T.INT64, f64: T.FLOAT64,
};

class Bytes {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void { this.chunks.push(b); this.length += b.byteLength; }
  u32(v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.push(b); }
  u64(v: number | bigint): void { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.push(b); }
  str(s: string): void { const e = Buffer.from(s, 'utf8'); this.u64(e.byteLength); this.push(e); }
  scalar(kind: ScalarKind, v: number | bigint | boolean | string): void {
    const b = Buffer.alloc(8);
    switch (kind) {
      case 'u8': b.writeUInt8(Number(v)); return this.push(b.subarray(0, 1));
      case 'i8': b.writeInt8(Number(v)); return this.push(b.subarray(0, 1));
      case 'u16': b.writeUInt16LE(Number(v)); return this.push(b.subarray(0, 2));
      case 'i16': b.writeInt16LE(Number(v)); return this.push(b.subarray(0, 2));
      case 'u32': b.writeUInt32LE(Number(v)); return this.push(b.subarray(0, 4));
      case 'i32': b.writeInt32LE(Number(v)); return this.push(b.subarray(0, 4));
      case 'f32': b.writeFloatLE(Number(v)); return this.push(b.subarray(0, 4));
      case 'bool': b.writeUInt8(v ? 1 : 0); return this.push(b.subarray(0, 1));
      case 'u64': b.writeBigUInt64LE(BigInt(v)); return this.push(b);
      case 'i64': b.writeBigInt64LE(BigInt(v)); return this.push(b);
      case 'f64': b.writeDoubleLE(Number(v)); return this.push(b);
      case 'string': return this.str(String(v));
    }
  }
  concat(): Buffer { return Buffer.concat(this.chunks); }
}

export async function writeGguf(path: string, metadata: ReadonlyArray<readonly [string, GgufWriteValue]>, tensors: readonly GgufWriteTensor[], alignment = GGUF_DEFAULT_ALIGNMENT): Promise<void> {
  const h = new Bytes();
  h.u32(GGUF_MAGIC);
  h.u32(3);
  h.u64(tensors.length);
  const hasAlignment = metadata.some(([k]) => k === 'general.alignment');
  const kvs: (readonly [string, GgufWriteValue])[] = [...metadata];
  if (!hasAlignment && alignment !== GGUF_DEFAULT_ALIGNMENT) kvs.push(['general.alignment', gv.u32(alignment)]);
  h.u64(kvs.length);
  for (const [key, v] of kvs) {
    h.str(key);
    if (v.kind === 'array') {
      h.u32(T.ARRAY);
      h.u32(KIND_CODE[v.elem]);
      h.u64(v.values.length);
      for (const x of v.values) h.scalar(v.elem, x);
    } else {
      h.u32(KIND_CODE[v.kind]);
      h.scalar(v.kind, v.value);
    }
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    const info = ggmlTypeInfo(t.type);
    if (info === undefined) throw new Error(`tensor ${t.name}: unknown ggml type ${t.type}`);
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (ggmlByteSize(info, count) !== t.data.byteLength) throw new Error(`tensor ${t.name}: ${t.data.byteLength} bytes do not match ${count} ${info.name} elements`);
    offset = Math.ceil(offset / alignment) * alignment;
    offsets.push(offset);
    offset += t.data.byteLength;
    h.str(t.name);
    h.u32(t.dims.length);
    for (const d of t.dims) h.u64(d);
    h.u32(t.type);
    h.u64(offsets[offsets.length - 1]!);
  }
  const header = h.concat();
  const dataStart = Math.ceil(header.byteLength / alignment) * alignment;
  await writeFileAtomically(path, async (fh) => {
    await fh.write(header, 0, header.byteLength, 0);
    for (let i = 0; i < tensors.length; i++) {
      const d = tensors[i]!.data;
      await fh.write(d, 0, d.byteLength, dataStart + offsets[i]!);
    }
    await fh.truncate(dataStart + Math.ceil(offset / alignment) * alignment);
  });
}
