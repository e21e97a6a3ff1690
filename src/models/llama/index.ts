/**
 * Llama-family GGUF → ONNX decoder with in-graph entropy.
 *   const info = await convertGgufToOnnx('model.gguf', 'model.onnx', { onProgress, weights: 'blocks', attention: 'gqa' });
 *   // session inputs: input_ids int64 [batch, seq], attention_mask int64 [batch, seq] (1 = token, right padding)
 *   // outputs: entropy float32 [batch, seq] (nats; entropy[t] is about token t+1), logits if withLogits
 * Sequences must not exceed info.contextLength (the rotary tables stop there): window longer documents.
 * 'gqa' attention is a com.microsoft contrib op (CPU float32; CUDA runs it in float16 only): convert
 * with attention 'primitive' for other execution providers.
 * Metadata (tokenizer.ggml.*): see ../gguf/index.ts (`readGgufMetadata`).
 */
export { convertGgufToOnnx, type ConvertOptions, type ConvertedDecoder, type WeightFormat } from './convert-gguf.ts';
export { weightFromGguf, concatRows, toFloat32, type WeightMatrix, type BlockMatrix, type F32Matrix } from './block-quant.ts';
export { weightOps, type MatrixOps, type WeightOpsOptions } from './matrix-ops.ts';
export { llamaConfigFromGguf, type LlamaConfig, SUPPORTED_ARCHITECTURES } from './llama-config.ts';
export { ggufLlamaWeights, ggufLlamaWeightsAs, type LlamaWeights, type LlamaLayerWeights } from './llama-weights.ts';
export { buildLlamaDecoder, type DecoderGraphOptions } from './decoder-graph.ts';
