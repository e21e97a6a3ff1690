import { EntropyLongError } from '../../util/errors.ts';
import { float16BitsToFloat32 } from '../onnx/float16.ts';
import { ggmlTypeInfo, ggmlTypeName } from './ggml-types.ts';

/**
 * Dequantisation to float32 following ggml-quants.c `dequantize_row_*` exactly (block layouts of
 * ggml-common.h); `bytes` holds whole blocks, `count` elements (a multiple of the block size).
 */
export type Dequantizer = (bytes: Uint8Array, out: Float32Array) => void;

const f16 = (b: Uint8Array, o: number): number => float16BitsToFloat32(b[o]! | (b[o + 1]! << 8));
const i8 = (v: number): number => (v << 24) >> 24;

const f32: Dequantizer = (b, y) => {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < y.length; i++) y[i] = dv.getFloat32(i * 4, true);
};

const f16Row: Dequantizer = (b, y) => {
  for (let i = 0; i < y.length; i++) y[i] = f16(b, i * 2);
};

const bf16: Dequantizer = (b, y) => {
  const u = new Uint32Array(1);
  const f = new Float32Array(u.buffer);
  for (let i = 0; i < y.length; i++) {
    u[0] = ((b[i * 2]! | (b[i * 2 + 1]! << 8)) << 16) >>> 0;
    y[i] = f[0]!;
  }
};

const q4_0: Dequantizer = (b, y) => {
  for (let i = 0, o = 0; i < y.length / 32; i++, o += 18) {
    const d = f16(b, o);
    for (let j = 0; j < 16; j++) {
      const q = b[o + 2 + j]!;
      y[i * 32 + j] = ((q & 0x0f) - 8) * d;
      y[i * 32 + j + 16] = ((q >> 4) - 8) * d;
    }
  }
};

const q4_1: Dequantizer = (b, y) => {
  for (let i = 0, o = 0; i < y.length / 32; i++, o += 20) {
    const d = f16(b, o);
    const m = f16(b, o + 2);
    for (let j = 0; j < 16; j++) {
      const q = b[o + 4 + j]!;
      y[i * 32 + j] = (q & 0x0f) * d + m;
      y[i * 32 + j + 16] = (q >> 4) * d + m;
    }
  }
};

const q5_0: Dequantizer = (b, y) => {
  for (let i = 0, o = 0; i < y.length / 32; i++, o += 22) {
    const d = f16(b, o);
    const qh = (b[o + 2]! | (b[o + 3]! << 8) | (b[o + 4]! << 16) | (b[o + 5]! << 24)) >>> 0;
    for (let j = 0; j < 16; j++) {
      const q = b[o + 6 + j]!;
      const xh0 = ((qh >>> j) << 4) & 0x10;
      const xh1 = (qh >>> (j + 12)) & 0x10;
      y[i * 32 + j] = (((q & 0x0f) | xh0) - 16) * d;
      y[i * 32 + j + 16] = (((q >> 4) | xh1) - 16) * d;
    }
  }
};

const q5_1: Dequantizer = (b, y) => {
  for (let i = 0, o = 0; i < y.length / 32; i++, o += 24) {
    const d = f16(b, o);
    const m = f16(b, o + 2);
    const qh = (b[o + 4]! | (b[o + 5]! << 8) | (b[o + 6]! << 16) | (b[o + 7]! << 24)) >>> 0;
    for (let j = 0; j < 16; j++) {
      const q = b[o + 8 + j]!;
      const xh0 = ((qh >>> j) << 4) & 0x10;
      const xh1 = (qh >>> (j + 12)) & 0x10;
      y[i * 32 + j] = ((q & 0x0f) | xh0) * d + m;
      y[i * 32 + j + 16] = ((q >> 4) | xh1) * d + m;
    }
  }
};

const q8_0: Dequantizer = (b, y) => {
  for (let i = 0, o = 0; i < y.length / 32; i++, o += 34) {
    const d = f16(b, o);
    for (let j = 0; j < 32; j++) y[i * 32 + j] = i8(b[o + 2 + j]!) * d;
  }
};

/** block_q2_K: scales[16], qs[64], d, dmin (84 bytes). */
const q2_K: Dequantizer = (b, y) => {
  let p = 0;
  for (let o = 0; p < y.length; o += 84) {
    const d = f16(b, o + 80);
    const min = f16(b, o + 82);
    let q = o + 16;
    let is = 0;
    for (let n = 0; n < 256; n += 128) {
      let shift = 0;
      for (let j = 0; j < 4; j++) {
        let sc = b[o + is++]!;
        let dl = d * (sc & 0xf), ml = min * (sc >> 4);
        for (let l = 0; l < 16; l++) y[p++] = dl * ((b[q + l]! >> shift) & 3) - ml;
        sc = b[o + is++]!;
        dl = d * (sc & 0xf); ml = min * (sc >> 4);
        for (let l = 0; l < 16; l++) y[p++] = dl * ((b[q + l + 16]! >> shift) & 3) - ml;
        shift += 2;
      }
      q += 32;
    }
  }
};

/** block_q3_K: hmask[32], qs[64], scales[12], d (110 bytes). */
const q3_K: Dequantizer = (b, y) => {
  const aux = new Uint32Array(4);
  const scales = new Int8Array(aux.buffer);
  const kmask1 = 0x03030303, kmask2 = 0x0f0f0f0f;
  let p = 0;
  for (let o = 0; p < y.length; o += 110) {
    const dAll = f16(b, o + 108);
    const hm = o;
    let q = o + 32;
    const s = o + 96;
    for (let k = 0; k < 3; k++) aux[k] = (b[s + 4 * k]! | (b[s + 4 * k + 1]! << 8) | (b[s + 4 * k + 2]! << 16) | (b[s + 4 * k + 3]! << 24)) >>> 0;
    const tmp = aux[2]!;
    const a0 = aux[0]!, a1 = aux[1]!;
    aux[2] = ((a0 >>> 4) & kmask2) | (((tmp >>> 4) & kmask1) << 4);
    aux[3] = ((a1 >>> 4) & kmask2) | (((tmp >>> 6) & kmask1) << 4);
    aux[0] = (a0 & kmask2) | (((tmp >>> 0) & kmask1) << 4);
    aux[1] = (a1 & kmask2) | (((tmp >>> 2) & kmask1) << 4);
    let is = 0;
    let m = 1;
    for (let n = 0; n < 256; n += 128) {
      let shift = 0;
      for (let j = 0; j < 4; j++) {
        let dl = dAll * (scales[is++]! - 32);
        for (let l = 0; l < 16; l++) y[p++] = dl * (((b[q + l]! >> shift) & 3) - ((b[hm + l]! & m) ? 0 : 4));
        dl = dAll * (scales[is++]! - 32);
        for (let l = 0; l < 16; l++) y[p++] = dl * (((b[q + l + 16]! >> shift) & 3) - ((b[hm + l + 16]! & m) ? 0 : 4));
        shift += 2;
        m <<= 1;
      }
      q += 32;
    }
  }
};

/** get_scale_min_k4 of ggml-quants.c: 6-bit scale and min j of a 12-byte packed array at `s`. */
function scaleMinK4(j: number, b: Uint8Array, s: number): [number, number] {
  if (j < 4) return [b[s + j]! & 63, b[s + j + 4]! & 63];
  return [(b[s + j + 4]! & 0xf) | ((b[s + j - 4]! >> 6) << 4), (b[s + j + 4]! >> 4) | ((b[s + j]! >> 6) << 4)];
}

/** block_q4_K: d, dmin, scales[12], qs[128] (144 bytes). */
const q4_K: Dequantizer = (b, y) => {
  let p = 0;
  for (let o = 0; p < y.length; o += 144) {
    const d = f16(b, o);
    const min = f16(b, o + 2);
    let q = o + 16;
    let is = 0;
    for (let j = 0; j < 256; j += 64) {
      const [sc1, m1] = scaleMinK4(is, b, o + 4);
      const [sc2, m2] = scaleMinK4(is + 1, b, o + 4);
      const d1 = d * sc1, mm1 = min * m1, d2 = d * sc2, mm2 = min * m2;
      for (let l = 0; l < 32; l++) y[p++] = d1 * (b[q + l]! & 0xf) - mm1;
      for (let l = 0; l < 32; l++) y[p++] = d2 * (b[q + l]! >> 4) - mm2;
      q += 32;
      is += 2;
    }
  }
};

/** block_q5_K: d, dmin, scales[12], qh[32], qs[128] (176 bytes). */
const q5_K: Dequantizer = (b, y) => {
  let p = 0;
  for (let o = 0; p < y.length; o += 176) {
    const d = f16(b, o);
    const min = f16(b, o + 2);
    const qh = o + 16;
    let ql = o + 48;
    let is = 0;
    let u1 = 1, u2 = 2;
    for (let j = 0; j < 256; j += 64) {
      const [sc1, m1] = scaleMinK4(is, b, o + 4);
      const [sc2, m2] = scaleMinK4(is + 1, b, o + 4);
      const d1 = d * sc1, mm1 = min * m1, d2 = d * sc2, mm2 = min * m2;
      for (let l = 0; l < 32; l++) y[p++] = d1 * ((b[ql + l]! & 0xf) + (b[qh + l]! & u1 ? 16 : 0)) - mm1;
      for (let l = 0; l < 32; l++) y[p++] = d2 * ((b[ql + l]! >> 4) + (b[qh + l]! & u2 ? 16 : 0)) - mm2;
      ql += 32;
      is += 2;
      u1 <<= 2;
      u2 <<= 2;
    }
  }
};

/** block_q6_K: ql[128], qh[64], scales[16] (int8), d (210 bytes). */
const q6_K: Dequantizer = (b, y) => {
  let p = 0;
  for (let o = 0; p < y.length; o += 210) {
    const d = f16(b, o + 208);
    let ql = o, qh = o + 128, sc = o + 192;
    for (let n = 0; n < 256; n += 128) {
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const h = b[qh + l]!;
        const q1 = ((b[ql + l]! & 0xf) | (((h >> 0) & 3) << 4)) - 32;
        const q2 = ((b[ql + l + 32]! & 0xf) | (((h >> 2) & 3) << 4)) - 32;
        const q3 = ((b[ql + l]! >> 4) | (((h >> 4) & 3) << 4)) - 32;
        const q4 = ((b[ql + l + 32]! >> 4) | (((h >> 6) & 3) << 4)) - 32;
        y[p + l] = d * i8(b[sc + is]!) * q1;
        y[p + l + 32] = d * i8(b[sc + is + 2]!) * q2;
        y[p + l + 64] = d * i8(b[sc + is + 4]!) * q3;
        y[p + l + 96] = d * i8(b[sc + is + 6]!) * q4;
      }
      p += 128;
      ql += 64;
      qh += 32;
      sc += 8;
    }
  }
};

/** block_q8_K: d (float32), qs[256] (int8), bsums[16] (292 bytes). */
const q8_K: Dequantizer = (b, y) => {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0, o = 0; i < y.length / 256; i++, o += 292) {
    const d = dv.getFloat32(o, true);
    for (let j = 0; j < 256; j++) y[i * 256 + j] = d * i8(b[o + 4 + j]!);
  }
};

const dequantizers: Record<number, Dequantizer> = {
  0: f32, 1: f16Row, 30: bf16, 2: q4_0, 3: q4_1, 6: q5_0, 7: q5_1, 8: q8_0,
  10: q2_K, 11: q3_K, 12: q4_K, 13: q5_K, 14: q6_K, 15: q8_K,
};

export function canDequantize(typeId: number): boolean {
  return typeId in dequantizers;
}

/** Dequantises `count` elements of ggml type `typeId` from `bytes`; `what` names the tensor in errors. */
export function dequantize(typeId: number, bytes: Uint8Array, count: number, what = 'tensor'): Float32Array {
  const fn = dequantizers[typeId];
  const info = ggmlTypeInfo(typeId);
  if (fn === undefined || info === undefined) {
    throw new EntropyLongError(`${what}: tensor type ${ggmlTypeName(typeId)} is not supported (supported: ${Object.keys(dequantizers).map((k) => ggmlTypeName(Number(k))).join(', ')})`);
  }
  if (count % info.blockSize !== 0) throw new EntropyLongError(`${what}: ${count} elements is not a whole number of ${info.name} blocks of ${info.blockSize}`);
  const need = (count / info.blockSize) * info.typeSize;
  if (bytes.byteLength < need) throw new EntropyLongError(`${what}: ${info.name} data has ${bytes.byteLength} bytes, ${need} needed for ${count} elements`);
  const out = new Float32Array(count);
  fn(bytes, out);
  return out;
}
