import { attr, type GraphBuilder } from '../onnx/index.ts';
import type { BertConfig } from './config.ts';
import type { BertLayerWeights } from './weights.ts';

/** Additive attention bias for padded keys: large enough to zero them after softmax, finite. */
const MASKED_SCORE = -1e9;

/** PyTorch [out, in] → MatMul's [in, out]. */
export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
  return t;
}

/** Q, K, V weights side by side as [in, 3·out] (and biases as [3·out]), Q's scaled by `qScale`. */
function packQkv(L: BertLayerWeights, H: number, qScale: number): { w: Float32Array; b: Float32Array } {
  const w = new Float32Array(H * 3 * H);
  const parts = [transpose(L.qW, H, H), transpose(L.kW, H, H), transpose(L.vW, H, H)] as const;
  parts.forEach((t, p) => {
    const s = p === 0 ? qScale : 1;
    for (let r = 0; r < H; r++) for (let c = 0; c < H; c++) w[r * 3 * H + p * H + c] = t[r * H + c]! * s;
  });
  const b = new Float32Array(3 * H);
  [L.qB, L.kB, L.vB].forEach((bias, p) => {
    const s = p === 0 ? qScale : 1;
    for (let c = 0; c < H; c++) b[p * H + c] = bias[c]! * s;
  });
  return { w, b };
}

/** Per-graph values every layer reads: the float mask [batch, seq] and, once built, its derived forms. */
export interface LayerInputs {
  readonly maskF: string;
  readonly maskI32: string;
  readonly maskBias: string;
}

export function layerInputs(g: GraphBuilder, mask: string, kernels: BertKernels): LayerInputs {
  const maskF = g.op('Cast', [mask], { to: 1 });
  if (kernels === 'ort-contrib') return { maskF, maskI32: g.op('Cast', [mask], { to: 6 }), maskBias: '' };
  const bias = g.op('Mul', [g.op('Sub', [g.constFloat([1]), maskF]), g.constFloat([MASKED_SCORE])]);
  return { maskF, maskI32: '', maskBias: g.op('Unsqueeze', [bias, g.constInt64([1, 2])]) };
}

/**
 * 'onnx': standard ONNX ops only (any runtime). 'ort-contrib': ONNX Runtime's com.microsoft fused
 * kernels (Attention, SkipLayerNormalization, BiasGelu), available on its CPU and CUDA providers,
 * which ORT does not fuse from the standard form by itself. Both compute the same function.
 */
export type BertKernels = 'onnx' | 'ort-contrib';

/** One encoder layer in standard ONNX ops: post-LN self-attention, then a GELU (erf) FFN. */
export function standardLayer(g: GraphBuilder, cfg: BertConfig, L: BertLayerWeights, l: number, x: string, inp: LayerInputs): string {
  const H = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const heads = cfg.numHeads;
  const dh = H / heads;
  const eps = attr.float(cfg.layerNormEps);
  const n = (s: string): string => `layer${l}.${s}`;
  const qkv = packQkv(L, H, 1 / Math.sqrt(dh));
  const fused = g.op('Add', [g.op('MatMul', [x, g.initializer(n('qkv.w'), qkv.w, [H, 3 * H])]), g.initializer(n('qkv.b'), qkv.b, [3 * H])]);
  const [q, k, v] = g.opMulti('Split', [fused, g.constInt64([H, H, H])], { axis: -1 }, { outputs: 3 }) as [string, string, string];
  const toHeads = g.constInt64([0, 0, heads, dh]);
  const qh = g.op('Transpose', [g.op('Reshape', [q, toHeads])], { perm: [0, 2, 1, 3] });
  const kh = g.op('Transpose', [g.op('Reshape', [k, toHeads])], { perm: [0, 2, 3, 1] });
  const vh = g.op('Transpose', [g.op('Reshape', [v, toHeads])], { perm: [0, 2, 1, 3] });
  const probs = g.op('Softmax', [g.op('Add', [g.op('MatMul', [qh, kh]), inp.maskBias])], { axis: -1 });
  const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, vh])], { perm: [0, 2, 1, 3] }), g.constInt64([0, 0, H])]);
  const attnOut = g.op('Add', [g.op('MatMul', [ctx, g.initializer(n('attn_out.w'), transpose(L.oW, H, H), [H, H])]), g.initializer(n('attn_out.b'), L.oB, [H])]);
  const x1 = g.op('LayerNormalization', [g.op('Add', [attnOut, x]), g.initializer(n('ln1.g'), L.ln1G, [H]), g.initializer(n('ln1.b'), L.ln1B, [H])], { axis: -1, epsilon: eps });
  const pre = g.op('Add', [g.op('MatMul', [x1, g.initializer(n('fc1.w'), transpose(L.fc1W, I, H), [H, I])]), g.initializer(n('fc1.b'), L.fc1B, [I])]);
  // GELU, erf form: 0.5 · x · (1 + erf(x / √2)).
  const gelu = g.op('Mul', [g.op('Mul', [pre, g.constFloat([0.5])]), g.op('Add', [g.op('Erf', [g.op('Mul', [pre, g.constFloat([Math.SQRT1_2])])]), g.constFloat([1])])]);
  const ffOut = g.op('Add', [g.op('MatMul', [gelu, g.initializer(n('fc2.w'), transpose(L.fc2W, H, I), [I, H])]), g.initializer(n('fc2.b'), L.fc2B, [H])]);
  return g.op('LayerNormalization', [g.op('Add', [ffOut, x1]), g.initializer(n('ln2.g'), L.ln2G, [H]), g.initializer(n('ln2.b'), L.ln2B, [H])], { axis: -1, epsilon: eps });
}

/** The same layer on ONNX Runtime's fused contrib kernels (the graph must declare com.microsoft). */
export function contribLayer(g: GraphBuilder, cfg: BertConfig, L: BertLayerWeights, l: number, x: string, inp: LayerInputs): string {
  const H = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const ms = { domain: 'com.microsoft' };
  const eps = attr.float(cfg.layerNormEps);
  const n = (s: string): string => `layer${l}.${s}`;
  const qkv = packQkv(L, H, 1); // Attention scales by 1/√head_size itself
  const ctx = g.op('Attention', [x, g.initializer(n('qkv.w'), qkv.w, [H, 3 * H]), g.initializer(n('qkv.b'), qkv.b, [3 * H]), inp.maskI32], { num_heads: cfg.numHeads }, ms);
  const attnProj = g.op('MatMul', [ctx, g.initializer(n('attn_out.w'), transpose(L.oW, H, H), [H, H])]);
  const x1 = g.op('SkipLayerNormalization', [attnProj, x, g.initializer(n('ln1.g'), L.ln1G, [H]), g.initializer(n('ln1.b'), L.ln1B, [H]), g.initializer(n('attn_out.b'), L.oB, [H])], { epsilon: eps }, ms);
  const gelu = g.op('BiasGelu', [g.op('MatMul', [x1, g.initializer(n('fc1.w'), transpose(L.fc1W, I, H), [H, I])]), g.initializer(n('fc1.b'), L.fc1B, [I])], {}, ms);
  const ffProj = g.op('MatMul', [gelu, g.initializer(n('fc2.w'), transpose(L.fc2W, H, I), [I, H])]);
  return g.op('SkipLayerNormalization', [ffProj, x1, g.initializer(n('ln2.g'), L.ln2G, [H]), g.initializer(n('ln2.b'), L.ln2B, [H]), g.initializer(n('fc2.b'), L.fc2B, [H])], { epsilon: eps }, ms);
}
