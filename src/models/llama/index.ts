/**
 * Llama-family GGUF → ONNX decoder with in-graph entropy.
 *   const info = await convertGgufToOnnx('model.gguf', 'model.onnx', { onProgress, withLogits: false, weights: 'blocks' });
 *   // session inputs: input_ids int64 [batch, seq], attention_mask int64 [batch, seq] (right padding)
 *   // outputs: entropy float32 [batch, seq] (nats; entropy[t] is about token t+1), logits if withLogits
 * Metadata (tokenizer.ggml.*): see ../gguf/index.ts (`readGgufMetadata`).
 */
export { convertGgufToOnnx, type ConvertOptions, type ConvertedDecoder, type WeightFormat } from './convert-gguf.ts';
export { weightFromGguf, concatRows, toFloat32, type WeightMatrix, type BlockMatrix, type F32Matrix } from './block-quant.ts';
export { weightOps, type MatrixOps, type WeightOpsOptions } from './matrix-ops.ts';
export { llamaConfigFromGguf, type LlamaConfig, SUPPORTED_ARCHITECTURES } from './llama-config.ts';
export { ggufLlamaWeights, ggufLlamaWeightsAs, type LlamaWeights, type LlamaLayerWeights } from './llama-weights.ts';
export { buildLlamaDecoder, type DecoderGraphOptions } from './decoder-graph.ts';
