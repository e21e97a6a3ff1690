import { EntropyLongError } from '../../util/errors.ts';
import type { GgufMetadata } from '../gguf/gguf-metadata.ts';

/** Hyper-parameters of a llama-family decoder, read from GGUF metadata (`<arch>.*` keys). */
export interface LlamaConfig {
  architecture: string;
  contextLength: number;
  hiddenSize: number;
  feedForwardSize: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  rmsEps: number;
  ropeTheta: number;
  vocabSize: number;
}

/** Architectures whose GGUF tensors follow llama's layout (llama.cpp LLM_ARCH_LLAMA naming). */
export const SUPPORTED_ARCHITECTURES = ['llama'] as const;

export function llamaConfigFromGguf(meta: GgufMetadata, source: string, vocabFromTokens?: number): LlamaConfig {
  const arch = meta.getString('general.architecture');
  if (!(SUPPORTED_ARCHITECTURES as readonly string[]).includes(arch)) {
    throw new EntropyLongError(`${source}: architecture '${arch}' is not supported (supported: ${SUPPORTED_ARCHITECTURES.join(', ')})`);
  }
  const k = (name: string) => `${arch}.${name}`;
  const hiddenSize = meta.getNumber(k('embedding_length'));
  const heads = meta.getNumber(k('attention.head_count'));
  const kvHeads = meta.optionalNumber(k('attention.head_count_kv')) ?? heads;
  const headDim = meta.optionalNumber(k('attention.key_length')) ?? hiddenSize / heads;
  const ropeDims = meta.optionalNumber(k('rope.dimension_count')) ?? headDim;
  if (ropeDims !== headDim) throw new EntropyLongError(`${source}: partial rotary (rope.dimension_count ${ropeDims} ≠ head dim ${headDim}) is not supported`);
  if (heads % kvHeads !== 0) throw new EntropyLongError(`${source}: head_count ${heads} is not a multiple of head_count_kv ${kvHeads}`);
  if (meta.has(k('rope.scaling.type')) && meta.getString(k('rope.scaling.type')) !== 'none') {
    throw new EntropyLongError(`${source}: rope scaling '${meta.getString(k('rope.scaling.type'))}' is not supported`);
  }
  const vocabSize = meta.optionalNumber(k('vocab_size')) ?? vocabFromTokens;
  if (vocabSize === undefined) throw new EntropyLongError(`${source}: vocabulary size unknown (no ${k('vocab_size')} and no tokenizer.ggml.tokens)`);
  return {
    architecture: arch,
    contextLength: meta.getNumber(k('context_length')),
    hiddenSize,
    feedForwardSize: meta.getNumber(k('feed_forward_length')),
    layers: meta.getNumber(k('block_count')),
    heads,
    kvHeads,
    headDim,
    rmsEps: meta.getNumber(k('attention.layer_norm_rms_epsilon')),
    ropeTheta: meta.optionalNumber(k('rope.freq_base')) ?? 10000,
    vocabSize,
  };
}
