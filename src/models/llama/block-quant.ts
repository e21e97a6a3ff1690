import { float16BitsToFloat32 } from '../onnx/float16.ts';
import { dequantize } from '../gguf/dequantize.ts';
import { GGML_TYPE } from '../gguf/ggml-types.ts';

export const QUANT_BLOCK = 32;

/** A row-major [rows, cols] float32 matrix. */
export interface F32Matrix {
  kind: 'f32';
  rows: number;
  cols: number;
  data: Float32Array;
}

/**
 * A row-major [rows, cols] matrix in blocks of 32 along each row: w = (q − zeroPoint[b]) · scale[b],
 * b = row · cols/32 + column/32; q holds one unsigned value per weight (< 2^bits, not yet packed).
 * The layout of com.microsoft MatMulNBits; float zero points only with bits 4 (all ORT supports).
 */
export interface BlockMatrix {
  kind: 'blocks';
  rows: number;
  cols: number;
  bits: 4 | 8;
  q: Uint8Array;
  scales: Float32Array;
  zeroPoints: Uint8Array | Float32Array;
}

export type WeightMatrix = F32Matrix | BlockMatrix;

const f16 = (b: Uint8Array, o: number): number => float16BitsToFloat32(b[o]! | (b[o + 1]! << 8));

/**
 * The exact block form of a GGUF tensor where one exists: Q4_0, Q4_1, Q4_K (4 bits) and Q8_0, Q5_0
 * (8 bits) keep their values bit for bit; any other type comes back as float32 (also exact).
 */
export function weightFromGguf(type: number, raw: Uint8Array, rows: number, cols: number, what: string): WeightMatrix {
  const n = rows * cols;
  const nb = n / QUANT_BLOCK;
  const q = new Uint8Array(n);
  const scales = new Float32Array(nb);
  const blocks = (bits: 4 | 8, zeroPoints: Uint8Array | Float32Array): BlockMatrix => ({ kind: 'blocks', rows, cols, bits, q, scales, zeroPoints });
  switch (type) {
    case GGML_TYPE.Q8_0: {
      for (let b = 0, o = 0; b < nb; b++, o += 34) {
        scales[b] = f16(raw, o);
        for (let j = 0; j < 32; j++) q[b * 32 + j] = (raw[o + 2 + j]! + 128) & 0xff;
      }
      return blocks(8, new Uint8Array(nb).fill(128));
    }
    case GGML_TYPE.Q5_0: {
      for (let b = 0, o = 0; b < nb; b++, o += 22) {
        scales[b] = f16(raw, o);
        const qh = (raw[o + 2]! | (raw[o + 3]! << 8) | (raw[o + 4]! << 16) | (raw[o + 5]! << 24)) >>> 0;
        for (let j = 0; j < 16; j++) {
          q[b * 32 + j] = (raw[o + 6 + j]! & 0x0f) | (((qh >>> j) << 4) & 0x10);
          q[b * 32 + j + 16] = (raw[o + 6 + j]! >> 4) | ((qh >>> (j + 12)) & 0x10);
        }
      }
      return blocks(8, new Uint8Array(nb).fill(16));
    }
    case GGML_TYPE.Q4_0: {
      for (let b = 0, o = 0; b < nb; b++, o += 18) {
        scales[b] = f16(raw, o);
        unpackNibbles(raw, o + 2, q, b * 32);
      }
      return blocks(4, new Uint8Array(nb).fill(8));
    }
    case GGML_TYPE.Q4_1: {
      const zp = new Float32Array(nb);
      for (let b = 0, o = 0; b < nb; b++, o += 20) {
        unpackNibbles(raw, o + 4, q, b * 32);
        setAffine(q, scales, zp, b, f16(raw, o), f16(raw, o + 2));
      }
      return blocks(4, zp);
    }
    case GGML_TYPE.Q4_K: {
      // 8 sub-blocks of 32 per 256: w = d·sc·q − dmin·m (ggml-quants.c dequantize_row_q4_K).
      const zp = new Float32Array(nb);
      for (let sb = 0, o = 0; sb < nb / 8; sb++, o += 144) {
        const d = f16(raw, o), dmin = f16(raw, o + 2);
        for (let j = 0; j < 8; j++) {
          const [sc, m] = scaleMinK4(j, raw, o + 4);
          const b = sb * 8 + j;
          const qs = o + 16 + (j >> 1) * 32;
          for (let l = 0; l < 32; l++) q[b * 32 + l] = (j & 1) === 0 ? raw[qs + l]! & 0x0f : raw[qs + l]! >> 4;
          setAffine(q, scales, zp, b, d * sc, -dmin * m);
        }
      }
      return blocks(4, zp);
    }
    default:
      return { kind: 'f32', rows, cols, data: dequantize(type, raw, n, what) };
  }
}

/** w = q·d + m as (q − zp)·s. A block with d = 0 is the constant m: q is zeroed and zp = −1, s = m. */
function setAffine(q: Uint8Array, scales: Float32Array, zp: Float32Array, b: number, d: number, m: number): void {
  if (d !== 0) {
    scales[b] = d;
    zp[b] = -m / d;
    return;
  }
  q.fill(0, b * QUANT_BLOCK, (b + 1) * QUANT_BLOCK);
  scales[b] = m;
  zp[b] = -1;
}

function unpackNibbles(raw: Uint8Array, at: number, q: Uint8Array, out: number): void {
  for (let j = 0; j < 16; j++) {
    q[out + j] = raw[at + j]! & 0x0f;
    q[out + j + 16] = raw[at + j]! >> 4;
  }
}

function scaleMinK4(j: number, b: Uint8Array, s: number): [number, number] {
  if (j < 4) return [b[s + j]! & 63, b[s + j + 4]! & 63];
  return [(b[s + j + 4]! & 0xf) | ((b[s + j - 4]! >> 6) << 4), (b[s + j + 4]! >> 4) | ((b[s + j]! >> 6) << 4)];
}

export function toFloat32(w: WeightMatrix): F32Matrix {
  if (w.kind === 'f32') return w;
  const data = new Float32Array(w.rows * w.cols);
  for (let i = 0; i < data.length; i++) {
    const b = Math.floor(i / QUANT_BLOCK);
    data[i] = (w.q[i]! - w.zeroPoints[b]!) * w.scales[b]!;
  }
  return { kind: 'f32', rows: w.rows, cols: w.cols, data };
}

/**
 * Stacks matrices with the same number of columns. Block parts stay blocks when they can share one
 * MatMulNBits (same bits, or 4-bit integer zero points widened to 8 bits; float zero points where any
 * part has them); otherwise everything becomes float32, which is always exact.
 */
export function concatRows(parts: readonly WeightMatrix[]): WeightMatrix {
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const cols = parts[0]!.cols;
  const blocks = parts.filter((p): p is BlockMatrix => p.kind === 'blocks');
  if (blocks.length === parts.length) {
    const floatZp = blocks.some((p) => p.zeroPoints instanceof Float32Array);
    const bits = blocks.some((p) => p.bits === 8) ? 8 : 4;
    if (!(floatZp && bits === 8)) {
      const zeroPoints = floatZp ? new Float32Array(rows * cols / QUANT_BLOCK) : new Uint8Array(rows * cols / QUANT_BLOCK);
      zeroPoints.set(concat(blocks.map((p) => p.zeroPoints), (n) => new Float32Array(n)));
      return {
        kind: 'blocks', rows, cols, bits,
        q: concat(blocks.map((p) => p.q), (n) => new Uint8Array(n)),
        scales: concat(blocks.map((p) => p.scales), (n) => new Float32Array(n)),
        zeroPoints,
      };
    }
  }
  return { kind: 'f32', rows, cols, data: concat(parts.map((p) => toFloat32(p).data), (n) => new Float32Array(n)) };
}

function concat<T extends Uint8Array | Float32Array>(xs: readonly (Uint8Array | Float32Array)[], make: (n: number) => T): T {
  const out = make(xs.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of xs) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}
