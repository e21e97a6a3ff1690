import { EntropyLongError } from '../../util/errors.ts';
import type { GgufFile } from '../gguf/gguf-reader.ts';
import type { LlamaConfig } from './llama-config.ts';

/**
 * Weights of a llama decoder in GGUF layout: a matrix of ggml dims [in, out] is row-major [out, in]
 * (PyTorch layout), as Float32Array or as another matrix representation M (e.g. 8-bit blocks).
 * attn_q/attn_k rows keep GGUF's permutation (see decoder-graph.ts). Norm weights are always float32.
 */
export interface LlamaWeights<M = Float32Array> {
  tokenEmbedding(): Promise<M>; // [vocab, hidden]
  /** Output projection [vocab, hidden], or undefined when tied to the token embedding. */
  output(): Promise<M | undefined>;
  finalNorm(): Promise<Float32Array>;
  layer(i: number): Promise<LlamaLayerWeights<M>>;
}

export interface LlamaLayerWeights<M = Float32Array> {
  attnNorm: Float32Array;
  q: M; // [heads*headDim, hidden]
  k: M; // [kvHeads*headDim, hidden]
  v: M; // [kvHeads*headDim, hidden]
  o: M; // [hidden, heads*headDim]
  ffnNorm: Float32Array;
  gate: M; // [ff, hidden]
  up: M; // [ff, hidden]
  down: M; // [hidden, ff]
}

export function ggufLlamaWeights(file: GgufFile, cfg: LlamaConfig): LlamaWeights {
  return ggufLlamaWeightsAs(file, cfg, (name) => file.readFloat32(name));
}

/** Weights whose matrices are loaded by `loadMatrix(tensorName)` (norms are read as float32). */
export function ggufLlamaWeightsAs<M>(file: GgufFile, cfg: LlamaConfig, loadMatrix: (name: string) => Promise<M>): LlamaWeights<M> {
  const check = (name: string, dims: number[]): void => {
    const t = file.requireTensor(name);
    if (t.dims.length !== dims.length || t.dims.some((d, i) => d !== dims[i])) {
      throw new EntropyLongError(`${file.path}: tensor '${name}' has dims [${t.dims.join(', ')}], expected [${dims.join(', ')}]`);
    }
  };
  const load = async (name: string, dims: number[]): Promise<M> => {
    check(name, dims);
    return loadMatrix(name);
  };
  const loadNorm = async (name: string, dims: number[]): Promise<Float32Array> => {
    check(name, dims);
    return file.readFloat32(name);
  };
  const { hiddenSize: E, feedForwardSize: F, heads, kvHeads, headDim: D, vocabSize: V } = cfg;
  return {
    tokenEmbedding: () => load('token_embd.weight', [E, V]),
    output: async () => (file.tensor('output.weight') === undefined ? undefined : load('output.weight', [E, V])),
    finalNorm: () => loadNorm('output_norm.weight', [E]),
    layer: async (i) => {
      const p = `blk.${i}.`;
      return {
        attnNorm: await loadNorm(`${p}attn_norm.weight`, [E]),
        q: await load(`${p}attn_q.weight`, [E, heads * D]),
        k: await load(`${p}attn_k.weight`, [E, kvHeads * D]),
        v: await load(`${p}attn_v.weight`, [E, kvHeads * D]),
        o: await load(`${p}attn_output.weight`, [heads * D, E]),
        ffnNorm: await loadNorm(`${p}ffn_norm.weight`, [E]),
        gate: await load(`${p}ffn_gate.weight`, [E, F]),
        up: await load(`${p}ffn_up.weight`, [E, F]),
        down: await load(`${p}ffn_down.weight`, [F, E]),
      };
    },
  };
}
