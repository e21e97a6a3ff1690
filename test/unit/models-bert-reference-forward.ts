/**
 * A plain TypeScript BERT forward pass (float64 arithmetic, textbook order: no folding, no fused
 * QKV), written independently of the ONNX graph so tests can hold the graph to it.
 */
import type { BertConfig } from '../../src/models/bert/config.ts';
import type { BertWeights } from '../../src/models/bert/weights.ts';

type Mat = Float64Array[];

/** y = x · Wᵀ + b, W stored [out, in] as PyTorch does. */
function linear(x: Mat, w: Float32Array, b: Float32Array, out: number): Mat {
  const inp = w.length / out;
  return x.map((row) => {
    const y = new Float64Array(out);
    for (let o = 0; o < out; o++) {
      let s = b[o]!;
      for (let i = 0; i < inp; i++) s += row[i]! * w[o * inp + i]!;
      y[o] = s;
    }
    return y;
  });
}

function layerNorm(x: Mat, g: Float32Array, b: Float32Array, eps: number): Mat {
  return x.map((row) => {
    const n = row.length;
    const mean = row.reduce((a, v) => a + v, 0) / n;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
    const inv = 1 / Math.sqrt(variance + eps);
    return row.map((v, i) => (v - mean) * inv * g[i]! + b[i]!);
  });
}

/** erf by Abramowitz–Stegun 7.1.26 is too coarse for 1e-4; use a series/continued-fraction pair. */
function erf(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 100; n++) {
      term *= (-z * z) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    r = 1 - Math.exp(-z * z) / (z * Math.sqrt(Math.PI)) * (1 - 1 / (2 * z * z) + 3 / (4 * z ** 4));
  }
  return x < 0 ? -r : r;
}

const add = (a: Mat, b: Mat): Mat => a.map((row, i) => row.map((v, j) => v + b[i]![j]!));

/** One sequence (ids with its mask) → the normalised mean-pooled embedding. */
export function referenceEmbedding(cfg: BertConfig, w: BertWeights, ids: readonly number[], mask: readonly number[]): Float64Array {
  const H = cfg.hiddenSize;
  const heads = cfg.numHeads;
  const dh = H / heads;
  let x: Mat = ids.map((id, p) => {
    const row = new Float64Array(H);
    for (let h = 0; h < H; h++) row[h] = w.word[id * H + h]! + w.position[p * H + h]! + w.tokenType[h]!;
    return row;
  });
  x = layerNorm(x, w.embLnG, w.embLnB, cfg.layerNormEps);
  for (const L of w.layers) {
    const q = linear(x, L.qW, L.qB, H);
    const k = linear(x, L.kW, L.kB, H);
    const v = linear(x, L.vW, L.vB, H);
    const ctx: Mat = x.map(() => new Float64Array(H));
    for (let hd = 0; hd < heads; hd++) {
      for (let i = 0; i < ids.length; i++) {
        const scores = ids.map((_, j) => {
          if (mask[j] === 0) return -Infinity;
          let s = 0;
          for (let d = 0; d < dh; d++) s += q[i]![hd * dh + d]! * k[j]![hd * dh + d]!;
          return s / Math.sqrt(dh);
        });
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < ids.length; j++) {
          const p = e[j]! / z;
          for (let d = 0; d < dh; d++) ctx[i]![hd * dh + d]! += p * v[j]![hd * dh + d]!;
        }
      }
    }
    x = layerNorm(add(linear(ctx, L.oW, L.oB, H), x), L.ln1G, L.ln1B, cfg.layerNormEps);
    const inter = linear(x, L.fc1W, L.fc1B, cfg.intermediateSize).map((row) => row.map((u) => 0.5 * u * (1 + erf(u / Math.SQRT2))));
    x = layerNorm(add(linear(inter, L.fc2W, L.fc2B, H), x), L.ln2G, L.ln2B, cfg.layerNormEps);
  }
  const mean = new Float64Array(H);
  let count = 0;
  x.forEach((row, p) => {
    if (mask[p] === 0) return;
    count++;
    for (let h = 0; h < H; h++) mean[h]! += row[h]!;
  });
  for (let h = 0; h < H; h++) mean[h]! /= Math.max(count, 1e-9);
  const norm = Math.max(Math.sqrt(mean.reduce((a, v) => a + v * v, 0)), 1e-12);
  return mean.map((v) => v / norm);
}
