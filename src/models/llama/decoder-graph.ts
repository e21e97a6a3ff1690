import { GraphBuilder } from '../onnx/graph-builder.ts';
import { appendEntropyHead } from '../entropy-head.ts';
import type { LlamaConfig } from './llama-config.ts';
import type { LlamaWeights } from './llama-weights.ts';
import type { MatrixOps } from './matrix-ops.ts';

export interface DecoderGraphOptions {
  /** Also output `logits` [batch, seq, vocab] (off by default: full logits should never reach JS). */
  withLogits?: boolean;
  onProgress?: (done: number, total: number, what: string) => void;
}

/** Additive mask value for disallowed attention; finite so a fully masked (padding) row gives no NaN. */
const MASK_NEG = -1e9;

/**
 * The llama decoder as an ONNX graph.
 * Inputs: input_ids int64 [batch, seq]; attention_mask int64 [batch, seq] (1 = token, 0 = right padding).
 * Outputs: entropy float32 [batch, seq] (nats; value t is the entropy of the prediction of token t+1),
 * and logits float32 [batch, seq, vocab] when asked.
 *
 * Rotary: GGUF stores attn_q/attn_k rows permuted so that each head's rotary pairs are adjacent rows
 * (2i, 2i+1); we keep that layout and rotate adjacent pairs (GPT-J style, llama.cpp's ROPE_TYPE_NORM),
 * which equals HF's rotate_half on the unpermuted weights. Q·K is unchanged by a permutation applied
 * to both, and V/O are not permuted.
 * Hidden states are flattened to [batch·seq, hidden]; `ops` decides how weights are stored and multiplied.
 */
export async function buildLlamaDecoder<M>(cfg: LlamaConfig, weights: LlamaWeights<M>, ops: MatrixOps<M>, options: DecoderGraphOptions = {}): Promise<GraphBuilder> {
  const g = new GraphBuilder('llama_entropy');
  g.useDomain('com.microsoft', 1);
  const { hiddenSize: E, heads: H, kvHeads: KV, headDim: D, vocabSize: V, feedForwardSize: F } = cfg;
  const progress = options.onProgress ?? (() => undefined);
  const total = cfg.layers + 2;

  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch', 'seq']);
  const i64 = (v: number[], name: string) => g.constInt64(v, [v.length], name);
  const bs = g.op('Shape', [ids], {}, { name: 'batch_seq' });
  const seqLen = g.op('Slice', [bs, i64([1], 'one'), i64([2], 'two')], {}, { name: 'seq_len' }); // [1]
  const shapeOf = (tail: number[], name: string) => g.op('Concat', [bs, i64(tail, `${name}_tail`)], { axis: 0 }, { name });
  const headsShape = shapeOf([H, D / 2, 2], 'q_pairs_shape');
  const kvPairsShape = shapeOf([KV, D / 2, 2], 'k_pairs_shape');
  const kvShape = shapeOf([KV, D], 'kv_shape');

  const embedding = await weights.tokenEmbedding();
  progress(1, total, 'token embedding');
  let x = ops.embedding(g, ids, embedding, 'token_embd');

  // Rotary tables [1, seq, 1, D/2, 1] from positions 0..seq-1 (right padding keeps positions contiguous).
  const invFreq = Float32Array.from({ length: D / 2 }, (_, i) => 1 / cfg.ropeTheta ** ((2 * i) / D));
  const positions = g.op('Cast', [g.op('Range', [g.constInt64([0], [], 'zero'), g.op('Squeeze', [seqLen, i64([0], 'axis0')]), g.constInt64([1], [], 'step')], {}, { name: 'positions' })], { to: 1 });
  const angles = g.op('Mul', [g.op('Unsqueeze', [positions, i64([1], 'axis1')]), g.initializer('inv_freq', invFreq, [1, D / 2])], {}, { name: 'angles' });
  const ropeShape = i64([1, -1, 1, D / 2, 1], 'rope_shape');
  const cos = g.op('Reshape', [g.op('Cos', [angles]), ropeShape], {}, { name: 'rope_cos' });
  const sin = g.op('Reshape', [g.op('Sin', [angles]), ropeShape], {}, { name: 'rope_sin' });

  // Additive mask [batch, 1, seq, seq]: causal and key padding.
  const pos = g.op('Range', [g.constInt64([0], [], 'zero_m'), g.op('Squeeze', [seqLen, i64([0], 'axis0_m')]), g.constInt64([1], [], 'step_m')]);
  const causal = g.op('GreaterOrEqual', [g.op('Unsqueeze', [pos, i64([1], 'axis1_m')]), g.op('Unsqueeze', [pos, i64([0], 'axis0_mu')])], {}, { name: 'causal' });
  const keyOk = g.op('Cast', [g.op('Unsqueeze', [attentionMask, i64([1, 2], 'axes12')])], { to: 9 }, { name: 'key_ok' });
  const allowed = g.op('And', [causal, keyOk], {}, { name: 'allowed' });
  const mask = g.op('Where', [allowed, g.constFloat([0], [], 'mask_zero'), g.constFloat([MASK_NEG], [], 'mask_neg')], {}, { name: 'attn_mask' });

  const rmsNorm = (input: string, weight: Float32Array, name: string) =>
    g.op('SimplifiedLayerNormalization', [input, g.initializer(`${name}.weight`, weight, [E])], { axis: -1, epsilon: { kind: 'float', value: cfg.rmsEps } }, { name });
  const linear = (input: string, w: M, name: string) => ops.linear(g, input, w, name);
  const rope = (flatHeads: string, pairsShape: string, name: string) => {
    const pairs = g.op('Reshape', [flatHeads, pairsShape], {}, { name: `${name}_pairs` });
    const [a, b] = g.opMulti('Split', [pairs, i64([1, 1], `${name}_split`)], { axis: -1 }, { outputs: 2, name: `${name}_split` });
    const ra = g.op('Sub', [g.op('Mul', [a!, cos]), g.op('Mul', [b!, sin])], {}, { name: `${name}_even` });
    const rb = g.op('Add', [g.op('Mul', [a!, sin]), g.op('Mul', [b!, cos])], {}, { name: `${name}_odd` });
    return g.op('Concat', [ra, rb], { axis: -1 }, { name: `${name}_rot` }); // [b, s, heads, D/2, 2]
  };

  for (let l = 0; l < cfg.layers; l++) {
    const w = await weights.layer(l);
    const p = `layer${l}`;
    const h = rmsNorm(x, w.attnNorm, `${p}.attn_norm`);
    const qkv = linear(h, ops.concatRows([w.q, w.k, w.v]), `${p}.qkv`);
    const [q, k, v] = g.opMulti('Split', [qkv, i64([H * D, KV * D, KV * D], `${p}.qkv_sizes`)], { axis: -1 }, { outputs: 3, name: `${p}.qkv_split` });
    const qScaled = g.op('Mul', [q!, g.constFloat([1 / Math.sqrt(D)], [], `${p}.scale`)]);
    const qr = g.op('Transpose', [g.op('Reshape', [rope(qScaled, headsShape, `${p}.q_rope`), shapeOf([H, D], `${p}.q_shape`)])], { perm: [0, 2, 1, 3] }); // [b, H, s, D]
    const kr = g.op('Transpose', [g.op('Reshape', [rope(k!, kvPairsShape, `${p}.k_rope`), kvShape])], { perm: [0, 2, 3, 1] }); // [b, KV, D, s]
    const vr = g.op('Transpose', [g.op('Reshape', [v!, kvShape])], { perm: [0, 2, 1, 3] }); // [b, KV, s, D]
    // Query heads j·rep … j·rep+rep−1 share kv head j: fold them into the sequence axis instead of repeating K/V.
    const qGrouped = g.op('Reshape', [qr, i64([0, KV, -1, D], `${p}.q_grouped`)]);
    const scores = g.op('Reshape', [g.op('MatMul', [qGrouped, kr], {}, { name: `${p}.scores` }), shapeOfScores(g, bs, H, `${p}.scores_shape`)]);
    const probs = g.op('Softmax', [g.op('Add', [scores, mask])], { axis: -1 }, { name: `${p}.softmax` });
    const probsGrouped = g.op('Reshape', [probs, i64([0, KV, -1, 0], `${p}.probs_grouped`)]);
    const ctx = g.op('Reshape', [g.op('MatMul', [probsGrouped, vr], {}, { name: `${p}.context` }), i64([0, H, -1, D], `${p}.ctx_heads`)]);
    const merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), i64([-1, H * D], `${p}.ctx_flat`)]);
    x = g.op('Add', [x, linear(merged, w.o, `${p}.attn_output`)], {}, { name: `${p}.attn_residual` });

    const h2 = rmsNorm(x, w.ffnNorm, `${p}.ffn_norm`);
    const gateUp = linear(h2, ops.concatRows([w.gate, w.up]), `${p}.gate_up`);
    const [gate, up] = g.opMulti('Split', [gateUp, i64([F, F], `${p}.gate_up_sizes`)], { axis: -1 }, { outputs: 2, name: `${p}.gate_up_split` });
    const act = g.op('Mul', [g.op('Mul', [gate!, g.op('Sigmoid', [gate!])], {}, { name: `${p}.silu` }), up!]);
    x = g.op('Add', [x, linear(act, w.down, `${p}.ffn_down`)], {}, { name: `${p}.ffn_residual` });
    progress(l + 2, total, `layer ${l}`);
  }

  const final = rmsNorm(x, await weights.finalNorm(), 'output_norm');
  const outW = await weights.output();
  const logitsFlat = linear(final, outW ?? embedding, outW === undefined ? 'token_embd' : 'lm_head');
  const entropy = g.op('Reshape', [appendEntropyHead(g, logitsFlat), bs], {}, { name: 'entropy_shape' });
  g.output(entropy, 'entropy', 'float', ['batch', 'seq']);
  if (options.withLogits === true) {
    g.output(g.op('Reshape', [logitsFlat, shapeOf([V], 'logits_shape')]), 'logits', 'float', ['batch', 'seq', V]);
  }
  progress(total, total, 'graph');
  return g;
}

function shapeOfScores(g: GraphBuilder, bs: string, heads: number, name: string): string {
  const b = g.op('Slice', [bs, g.constInt64([0], [1], `${name}_s`), g.constInt64([1], [1], `${name}_e`)]);
  const s = g.op('Slice', [bs, g.constInt64([1], [1], `${name}_s2`), g.constInt64([2], [1], `${name}_e2`)]);
  return g.op('Concat', [b, g.constInt64([heads], [1], `${name}_h`), s, s], { axis: 0 }, { name });
}
