import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dequantize, GGML_TYPE } from '../../src/models/gguf/index.ts';
import { float32ToFloat16Bits } from '../../src/models/onnx/float16.ts';
import { mulberry32 } from '../../src/algorithms/seeded-random.ts';

// Blocks are packed here the way ggml's quantize_row_*_ref packs them (ggml-quants.c), from chosen
// integer levels L and exactly-representable scales; dequantisation must give back d·f(L) exactly.

const rng = mulberry32;
const ints = (r: () => number, n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
const putF16 = (b: Uint8Array, o: number, v: number) => { const h = float32ToFloat16Bits(v); b[o] = h & 0xff; b[o + 1] = h >> 8; };

function assertClose(got: Float32Array, want: number[]): void {
  assert.equal(got.length, want.length);
  want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) <= 1e-6 * Math.max(1, Math.abs(w)), `element ${i}: got ${got[i]}, want ${w}`));
}

test('F32, F16 and BF16 rows', () => {
  const v = [1.5, -2, 0.25, 65504];
  assertClose(dequantize(GGML_TYPE.F32!, new Uint8Array(Float32Array.from(v).buffer), 4), v);
  const h = new Uint8Array(8);
  v.forEach((x, i) => putF16(h, i * 2, x));
  assertClose(dequantize(GGML_TYPE.F16!, h, 4), v);
  const bfValues = [1.5, -2, 0.25, 3.3895313892515355e38];
  const bf = new Uint8Array(8);
  const f = new Float32Array(1), u = new Uint32Array(f.buffer);
  bfValues.forEach((x, i) => { f[0] = x; bf[i * 2] = (u[0]! >>> 16) & 0xff; bf[i * 2 + 1] = u[0]! >>> 24; });
  assertClose(dequantize(GGML_TYPE.BF16!, bf, 4), bfValues);
});

test('Q4_0 and Q4_1: nibble j holds elements j and j+16', () => {
  const r = rng(1);
  const L = ints(r, 32, 0, 15);
  const b0 = new Uint8Array(18);
  putF16(b0, 0, 0.5);
  for (let j = 0; j < 16; j++) b0[2 + j] = L[j]! | (L[j + 16]! << 4);
  assertClose(dequantize(GGML_TYPE.Q4_0!, b0, 32), L.map((l) => (l - 8) * 0.5));
  const b1 = new Uint8Array(20);
  putF16(b1, 0, 0.25);
  putF16(b1, 2, -1.5);
  for (let j = 0; j < 16; j++) b1[4 + j] = L[j]! | (L[j + 16]! << 4);
  assertClose(dequantize(GGML_TYPE.Q4_1!, b1, 32), L.map((l) => l * 0.25 - 1.5));
});

test('Q5_0 and Q5_1: fifth bits in qh (bit j for element j)', () => {
  const L = ints(rng(2), 32, 0, 31);
  const pack = (b: Uint8Array, qhAt: number, qsAt: number) => {
    let qh = 0;
    for (let j = 0; j < 16; j++) {
      b[qsAt + j] = (L[j]! & 0xf) | ((L[j + 16]! & 0xf) << 4);
      qh |= ((L[j]! & 0x10) >> 4) << j;
      qh |= ((L[j + 16]! & 0x10) >> 4) << (j + 16);
    }
    new DataView(b.buffer).setUint32(qhAt, qh >>> 0, true);
  };
  const b0 = new Uint8Array(22);
  putF16(b0, 0, 0.125);
  pack(b0, 2, 6);
  assertClose(dequantize(GGML_TYPE.Q5_0!, b0, 32), L.map((l) => (l - 16) * 0.125));
  const b1 = new Uint8Array(24);
  putF16(b1, 0, 2);
  putF16(b1, 2, 0.5);
  pack(b1, 4, 8);
  assertClose(dequantize(GGML_TYPE.Q5_1!, b1, 32), L.map((l) => l * 2 + 0.5));
});

test('Q8_0: int8 quants times d, two blocks', () => {
  const L = ints(rng(3), 64, -128, 127);
  const b = new Uint8Array(68);
  putF16(b, 0, 0.5);
  putF16(b, 34, -0.25);
  L.forEach((l, i) => { b[(i < 32 ? 2 : 36) + (i % 32)] = l & 0xff; });
  assertClose(dequantize(GGML_TYPE.Q8_0!, b, 64), L.map((l, i) => l * (i < 32 ? 0.5 : -0.25)));
});

test('Q2_K: 16 groups of 16, 4-bit scale and min, 2-bit quants', () => {
  const r = rng(4);
  const L = ints(r, 256, 0, 3), ls = ints(r, 16, 0, 15), lm = ints(r, 16, 0, 15);
  const b = new Uint8Array(84);
  for (let j = 0; j < 16; j++) b[j] = ls[j]! | (lm[j]! << 4);
  for (let j = 0; j < 256; j += 128) for (let l = 0; l < 32; l++) b[16 + j / 4 + l] = L[j + l]! | (L[j + l + 32]! << 2) | (L[j + l + 64]! << 4) | (L[j + l + 96]! << 6);
  putF16(b, 80, 0.5);
  putF16(b, 82, 0.25);
  assertClose(dequantize(GGML_TYPE.Q2_K!, b, 256), L.map((l, e) => 0.5 * ls[e >> 4]! * l - 0.25 * lm[e >> 4]!));
});

test('Q3_K: hmask high bits, 6-bit signed scales', () => {
  const r = rng(5);
  const L = ints(r, 256, 0, 7), ls = ints(r, 16, 0, 63);
  const b = new Uint8Array(110);
  const scales = b.subarray(96, 108);
  for (let j = 0; j < 16; j++) {
    let l = ls[j]!;
    if (j < 8) scales[j] = l & 0xf; else scales[j - 8]! |= (l & 0xf) << 4;
    l >>= 4;
    scales[(j % 4) + 8]! |= l << (2 * Math.floor(j / 4));
  }
  const low = L.slice();
  let m = 0, hm = 1;
  for (let j = 0; j < 256; j++) {
    if (low[j]! > 3) { b[m]! |= hm; low[j]! -= 4; }
    if (++m === 32) { m = 0; hm <<= 1; }
  }
  for (let j = 0; j < 256; j += 128) for (let l = 0; l < 32; l++) b[32 + j / 4 + l] = low[j + l]! | (low[j + l + 32]! << 2) | (low[j + l + 64]! << 4) | (low[j + l + 96]! << 6);
  putF16(b, 108, 0.5);
  assertClose(dequantize(GGML_TYPE.Q3_K!, b, 256), L.map((l, e) => 0.5 * (ls[e >> 4]! - 32) * (l - 4)));
});

function packScaleMinK4(out: Uint8Array, at: number, ls: number[], lm: number[]): void {
  for (let j = 0; j < 8; j++) {
    if (j < 4) { out[at + j] = ls[j]!; out[at + j + 4] = lm[j]!; } else {
      out[at + j + 4] = (ls[j]! & 0xf) | ((lm[j]! & 0xf) << 4);
      out[at + j - 4]! |= (ls[j]! >> 4) << 6;
      out[at + j]! |= (lm[j]! >> 4) << 6;
    }
  }
}

test('Q4_K: 8 groups of 32, 6-bit packed scales and mins', () => {
  const r = rng(6);
  const L = ints(r, 256, 0, 15), ls = ints(r, 8, 0, 63), lm = ints(r, 8, 0, 63);
  const b = new Uint8Array(144);
  putF16(b, 0, 0.125);
  putF16(b, 2, 0.0625);
  packScaleMinK4(b, 4, ls, lm);
  for (let j = 0, q = 16; j < 256; j += 64, q += 32) for (let l = 0; l < 32; l++) b[q + l] = L[j + l]! | (L[j + l + 32]! << 4);
  assertClose(dequantize(GGML_TYPE.Q4_K!, b, 256), L.map((l, e) => 0.125 * ls[e >> 5]! * l - 0.0625 * lm[e >> 5]!));
});

test('Q5_K: as Q4_K plus a high bit plane', () => {
  const r = rng(7);
  const L = ints(r, 256, 0, 31), ls = ints(r, 8, 0, 63), lm = ints(r, 8, 0, 63);
  const b = new Uint8Array(176);
  putF16(b, 0, 0.25);
  putF16(b, 2, 0.5);
  packScaleMinK4(b, 4, ls, lm);
  let m1 = 1, m2 = 2;
  for (let n = 0, ql = 48; n < 256; n += 64, ql += 32) {
    for (let j = 0; j < 32; j++) {
      let l1 = L[n + j]!, l2 = L[n + j + 32]!;
      if (l1 > 15) { l1 -= 16; b[16 + j]! |= m1; }
      if (l2 > 15) { l2 -= 16; b[16 + j]! |= m2; }
      b[ql + j] = l1 | (l2 << 4);
    }
    m1 <<= 2; m2 <<= 2;
  }
  assertClose(dequantize(GGML_TYPE.Q5_K!, b, 256), L.map((l, e) => 0.25 * ls[e >> 5]! * l - 0.5 * lm[e >> 5]!));
});

test('Q6_K: 16 groups of 16, int8 scales, 4+2-bit quants', () => {
  const r = rng(8);
  const L = ints(r, 512, 0, 63), sc = ints(r, 32, -128, 127);
  const b = new Uint8Array(420);
  for (let blk = 0; blk < 2; blk++) {
    const o = blk * 210;
    for (let j = 0; j < 256; j += 128) {
      const ql = o + j / 2, qh = o + 128 + j / 4;
      for (let l = 0; l < 32; l++) {
        const e = blk * 256 + j + l;
        b[ql + l] = (L[e]! & 0xf) | ((L[e + 64]! & 0xf) << 4);
        b[ql + l + 32] = (L[e + 32]! & 0xf) | ((L[e + 96]! & 0xf) << 4);
        b[qh + l] = (L[e]! >> 4) | ((L[e + 32]! >> 4) << 2) | ((L[e + 64]! >> 4) << 4) | ((L[e + 96]! >> 4) << 6);
      }
    }
    for (let j = 0; j < 16; j++) b[o + 192 + j] = sc[blk * 16 + j]! & 0xff;
    putF16(b, o + 208, blk === 0 ? 0.5 : 0.03125);
  }
  assertClose(dequantize(GGML_TYPE.Q6_K!, b, 512), L.map((l, e) => (e < 256 ? 0.5 : 0.03125) * sc[e >> 4]! * (l - 32)));
});

test('Q8_K: float32 d, int8 quants', () => {
  const L = ints(rng(9), 256, -128, 127);
  const b = new Uint8Array(292);
  new DataView(b.buffer).setFloat32(0, 0.1, true);
  L.forEach((l, i) => { b[4 + i] = l & 0xff; });
  assertClose(dequantize(GGML_TYPE.Q8_K!, b, 256), L.map((l) => Math.fround(0.1) * l));
});

test('unsupported type and short data are errors naming the tensor', () => {
  assert.throws(() => dequantize(GGML_TYPE.IQ2_XXS!, new Uint8Array(66), 256, 'tensor blk.0.x'), /blk\.0\.x.*IQ2_XXS is not supported/);
  assert.throws(() => dequantize(GGML_TYPE.Q4_0!, new Uint8Array(17), 32, 'tensor t'), /t: Q4_0 data has 17 bytes, 18 needed/);
  assert.throws(() => dequantize(GGML_TYPE.Q4_0!, new Uint8Array(18), 31, 'tensor t'), /not a whole number/);
});
