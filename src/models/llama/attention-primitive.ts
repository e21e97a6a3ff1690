import type { Attention, AttentionContext } from './attention.ts';
import { rotaryTables } from './attention.ts';

/** Additive mask value for disallowed attention; finite so a fully masked (padding) row gives no NaN. */
const MASK_NEG = -1e9;

/**
 * Attention from standard ONNX ops only (runs on any execution provider): rotary by Split/Mul/Concat
 * on pairs, scores with an additive causal + key-padding mask [batch, 1, seq, seq].
 */
export function primitiveAttention({ g, cfg, attentionMask, bs }: AttentionContext): Attention {
  const { heads: H, kvHeads: KV, headDim: D } = cfg;
  const i64 = (v: number[], name: string) => g.constInt64(v, [v.length], name);
  const shapeOf = (tail: number[], name: string) => g.op('Concat', [bs, i64(tail, `${name}_tail`)], { axis: 0 }, { name });
  const seqLen = g.op('Slice', [bs, i64([1], 'one'), i64([2], 'two')], {}, { name: 'seq_len' });
  const headsShape = shapeOf([H, D / 2, 2], 'q_pairs_shape');
  const kvPairsShape = shapeOf([KV, D / 2, 2], 'k_pairs_shape');
  const kvShape = shapeOf([KV, D], 'kv_shape');
  const qShape = shapeOf([H, D], 'q_shape');
  const b = g.op('Slice', [bs, i64([0], 'zero_s'), i64([1], 'one_e')]);
  const scoresShape = g.op('Concat', [b, i64([H], 'heads'), seqLen, seqLen], { axis: 0 }, { name: 'scores_shape' });

  // Rotary tables [1, seq, 1, D/2, 1], sliced from tables over the context length.
  const { cos: cosAll, sin: sinAll } = rotaryTables(cfg, cfg.contextLength);
  const ropeShape = i64([1, -1, 1, D / 2, 1], 'rope_shape');
  const slice = (t: string) => g.op('Slice', [t, i64([0], 'rope_start'), seqLen, i64([0], 'rope_axis')]);
  const cos = g.op('Reshape', [slice(g.initializer('rope_cos', cosAll, [cfg.contextLength, D / 2])), ropeShape], {}, { name: 'rope_cos' });
  const sin = g.op('Reshape', [slice(g.initializer('rope_sin', sinAll, [cfg.contextLength, D / 2])), ropeShape], {}, { name: 'rope_sin' });

  const seqScalar = g.op('Squeeze', [seqLen, i64([0], 'axis0')]);
  const pos = g.op('Range', [g.constInt64([0], [], 'zero'), seqScalar, g.constInt64([1], [], 'step')]);
  const causal = g.op('GreaterOrEqual', [g.op('Unsqueeze', [pos, i64([1], 'axis1')]), g.op('Unsqueeze', [pos, i64([0], 'axis0_u')])], {}, { name: 'causal' });
  const keyOk = g.op('Cast', [g.op('Unsqueeze', [attentionMask, i64([1, 2], 'axes12')])], { to: 9 }, { name: 'key_ok' });
  const mask = g.op('Where', [g.op('And', [causal, keyOk]), g.constFloat([0], [], 'mask_zero'), g.constFloat([MASK_NEG], [], 'mask_neg')], {}, { name: 'attn_mask' });

  const rope = (flatHeads: string, pairsShape: string, name: string) => {
    const pairs = g.op('Reshape', [flatHeads, pairsShape], {}, { name: `${name}_pairs` });
    const [a, c] = g.opMulti('Split', [pairs, i64([1, 1], `${name}_split`)], { axis: -1 }, { outputs: 2, name: `${name}_split` });
    const ra = g.op('Sub', [g.op('Mul', [a!, cos]), g.op('Mul', [c!, sin])], {}, { name: `${name}_even` });
    const rb = g.op('Add', [g.op('Mul', [a!, sin]), g.op('Mul', [c!, cos])], {}, { name: `${name}_odd` });
    return g.op('Concat', [ra, rb], { axis: -1 }, { name: `${name}_rot` }); // [b, s, heads, D/2, 2]
  };

  return (qkv, p) => {
    const [q, k, v] = g.opMulti('Split', [qkv, i64([H * D, KV * D, KV * D], `${p}.qkv_sizes`)], { axis: -1 }, { outputs: 3, name: `${p}.qkv_split` });
    const qScaled = g.op('Mul', [q!, g.constFloat([1 / Math.sqrt(D)], [], `${p}.scale`)]);
    const qr = g.op('Transpose', [g.op('Reshape', [rope(qScaled, headsShape, `${p}.q_rope`), qShape])], { perm: [0, 2, 1, 3] }); // [b, H, s, D]
    const kr = g.op('Transpose', [g.op('Reshape', [rope(k!, kvPairsShape, `${p}.k_rope`), kvShape])], { perm: [0, 2, 3, 1] }); // [b, KV, D, s]
    const vr = g.op('Transpose', [g.op('Reshape', [v!, kvShape])], { perm: [0, 2, 1, 3] }); // [b, KV, s, D]
    // Query heads j·rep … j·rep+rep−1 share kv head j: fold them into the sequence axis instead of repeating K/V.
    const qGrouped = g.op('Reshape', [qr, i64([0, KV, -1, D], `${p}.q_grouped`)]);
    const scores = g.op('Reshape', [g.op('MatMul', [qGrouped, kr], {}, { name: `${p}.scores` }), scoresShape]);
    const probs = g.op('Softmax', [g.op('Add', [scores, mask])], { axis: -1 }, { name: `${p}.softmax` });
    const probsGrouped = g.op('Reshape', [probs, i64([0, KV, -1, 0], `${p}.probs_grouped`)]);
    const ctx = g.op('Reshape', [g.op('MatMul', [probsGrouped, vr], {}, { name: `${p}.context` }), i64([0, H, -1, D], `${p}.ctx_heads`)]);
    return g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), i64([-1, H * D], `${p}.ctx_flat`)]);
  };
}
