import type { GraphBuilder } from '../onnx/graph-builder.ts';
import type { LlamaConfig } from './llama-config.ts';

/** Graph values an attention implementation may use; `bs` is Shape(input_ids) = [batch, seq]. */
export interface AttentionContext {
  g: GraphBuilder;
  cfg: LlamaConfig;
  attentionMask: string;
  bs: string;
}

/** qkv [batch·seq, (heads + 2·kvHeads)·headDim], GGUF row order → attended context [batch·seq, heads·headDim]. */
export type Attention = (qkv: string, name: string) => string;

/**
 * Rotary: GGUF stores attn_q/attn_k rows permuted so that each head's rotary pairs are adjacent
 * (2i, 2i+1); both implementations rotate adjacent pairs (GPT-J style, llama.cpp's ROPE_TYPE_NORM),
 * which equals HF's rotate_half on the unpermuted weights. Q·K is unchanged by a permutation applied
 * to both, and V/O are not permuted. Positions are 0..seq−1 (right padding).
 */
export function rotaryTables(cfg: LlamaConfig, positions: number): { cos: Float32Array; sin: Float32Array } {
  const half = cfg.headDim / 2;
  const cos = new Float32Array(positions * half);
  const sin = new Float32Array(positions * half);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      const a = p / cfg.ropeTheta ** ((2 * i) / cfg.headDim);
      cos[p * half + i] = Math.cos(a);
      sin[p * half + i] = Math.sin(a);
    }
  }
  return { cos, sin };
}
