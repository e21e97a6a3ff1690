import { GraphBuilder } from '../onnx/graph-builder.ts';
import { appendEntropyHead } from '../entropy-head.ts';
import type { LlamaConfig } from './llama-config.ts';
import type { LlamaWeights } from './llama-weights.ts';
import type { MatrixOps } from './matrix-ops.ts';
import { groupQueryAttention } from './attention-gqa.ts';
import { primitiveAttention } from './attention-primitive.ts';

export interface DecoderGraphOptions {
  /** Also output `logits` [batch, seq, vocab] (off by default: full logits should never reach JS). */
  withLogits?: boolean;
  onProgress?: (done: number, total: number, what: string) => void;
  /**
   * 'gqa' (default): com.microsoft GroupQueryAttention (fused rotary, causal and padding masks; CPU and CUDA).
   * 'primitive': standard ONNX ops only, for execution providers without that contrib op.
   */
  attention?: 'gqa' | 'primitive';
}


/**
 * The llama decoder as an ONNX graph.
 * Inputs: input_ids int64 [batch, seq]; attention_mask int64 [batch, seq] (1 = token, 0 = right padding).
 * Outputs: entropy float32 [batch, seq] (nats; value t is the entropy of the prediction of token t+1),
 * and logits float32 [batch, seq, vocab] when asked.
 * Attention and rotary: see attention.ts.
 * Hidden states are flattened to [batch·seq, hidden]; `ops` decides how weights are stored and multiplied.
 */
export async function buildLlamaDecoder<M>(cfg: LlamaConfig, weights: LlamaWeights<M>, ops: MatrixOps<M>, options: DecoderGraphOptions = {}): Promise<GraphBuilder> {
  const g = new GraphBuilder('llama_entropy');
  g.useDomain('com.microsoft', 1);
  const { hiddenSize: E, vocabSize: V, feedForwardSize: F } = cfg;
  const progress = options.onProgress ?? (() => undefined);
  const total = cfg.layers + 2;

  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  const attentionMask = g.input('attention_mask', 'int64', ['batch', 'seq']);
  const i64 = (v: number[], name: string) => g.constInt64(v, [v.length], name);
  const bs = g.op('Shape', [ids], {}, { name: 'batch_seq' });
  const attend = (options.attention === 'primitive' ? primitiveAttention : groupQueryAttention)({ g, cfg, attentionMask, bs });

  const embedding = await weights.tokenEmbedding();
  progress(1, total, 'token embedding');
  let x = ops.embedding(g, ids, embedding, 'token_embd');

  const rmsNorm = (input: string, weight: Float32Array, name: string) =>
    g.op('SimplifiedLayerNormalization', [input, g.initializer(`${name}.weight`, weight, [E])], { axis: -1, epsilon: { kind: 'float', value: cfg.rmsEps } }, { name });
  const linear = (input: string, w: M, name: string) => ops.linear(g, input, w, name);

  for (let l = 0; l < cfg.layers; l++) {
    const w = await weights.layer(l);
    const p = `layer${l}`;
    const h = rmsNorm(x, w.attnNorm, `${p}.attn_norm`);
    const qkv = linear(h, ops.concatRows([w.q, w.k, w.v]), `${p}.qkv`);
    const merged = attend(qkv, p);
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
    g.output(g.op('Reshape', [logitsFlat, g.op('Concat', [bs, i64([V], 'vocab')], { axis: 0 }, { name: 'logits_shape' })]), 'logits', 'float', ['batch', 'seq', V]);
  }
  progress(total, total, 'graph');
  return g;
}
