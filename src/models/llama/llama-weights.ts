import { EntropyLongError } from '../../util/errors.ts';
import type { GgufFile } from '../gguf/gguf-reader.ts';
import type { LlamaConfig } from './llama-config.ts';

/**
 * Float32 weights of a llama decoder in GGUF layout: a matrix of ggml dims [in, out] is returned as
 * row-major [out, in] (PyTorch layout). attn_q/attn_k rows keep GGUF's permutation (see decoder-graph.ts).
 */
export interface LlamaWeights {
  tokenEmbedding(): Promise<Float32Array>; // [vocab, hidden]
  /** Output projection [vocab, hidden], or undefined when tied to the token embedding. */
  output(): Promise<Float32Array | undefined>;
  finalNorm(): Promise<Float32Array>;
  layer(i: number): Promise<LlamaLayerWeights>;
}

export interface LlamaLayerWeights {
  attnNorm: Float32Array;
  q: Float32Array; // [heads*headDim, hidden]
  k: Float32Array; // [kvHeads*headDim, hidden]
  v: Float32Array; // [kvHeads*headDim, hidden]
  o: Float32Array; // [hidden, heads*headDim]
  ffnNorm: Float32Array;
  gate: Float32Array; // [ff, hidden]
  up: Float32Array; // [ff, hidden]
  down: Float32Array; // [hidden, ff]
}

export function ggufLlamaWeights(file: GgufFile, cfg: LlamaConfig): LlamaWeights {
  const load = async (name: string, dims: number[]): Promise<Float32Array> => {
    const t = file.requireTensor(name);
    if (t.dims.length !== dims.length || t.dims.some((d, i) => d !== dims[i])) {
      throw new EntropyLongError(`${file.path}: tensor '${name}' has dims [${t.dims.join(', ')}], expected [${dims.join(', ')}]`);
    }
    return file.readFloat32(name);
  };
  const { hiddenSize: E, feedForwardSize: F, heads, kvHeads, headDim: D, vocabSize: V } = cfg;
  return {
    tokenEmbedding: () => load('token_embd.weight', [E, V]),
    output: async () => (file.tensor('output.weight') === undefined ? undefined : load('output.weight', [E, V])),
    finalNorm: () => load('output_norm.weight', [E]),
    layer: async (i) => {
      const p = `blk.${i}.`;
      return {
        attnNorm: await load(`${p}attn_norm.weight`, [E]),
        q: await load(`${p}attn_q.weight`, [E, heads * D]),
        k: await load(`${p}attn_k.weight`, [E, kvHeads * D]),
        v: await load(`${p}attn_v.weight`, [E, kvHeads * D]),
        o: await load(`${p}attn_output.weight`, [heads * D, E]),
        ffnNorm: await load(`${p}ffn_norm.weight`, [E]),
        gate: await load(`${p}ffn_gate.weight`, [E, F]),
        up: await load(`${p}ffn_up.weight`, [E, F]),
        down: await load(`${p}ffn_down.weight`, [F, E]),
      };
    },
  };
}
