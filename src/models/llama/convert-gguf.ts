import { stat } from 'node:fs/promises';
import { GgufFile } from '../gguf/gguf-reader.ts';
import { ggmlTypeName } from '../gguf/ggml-types.ts';
import { canDequantize } from '../gguf/dequantize.ts';
import { EntropyLongError } from '../../util/errors.ts';
import { llamaConfigFromGguf, type LlamaConfig } from './llama-config.ts';
import { ggufLlamaWeights } from './llama-weights.ts';
import { buildLlamaDecoder } from './decoder-graph.ts';

export interface ConvertOptions {
  withLogits?: boolean;
  onProgress?: (done: number, total: number, what: string) => void;
}

export interface ConvertedDecoder extends LlamaConfig {
  inputs: string[];
  outputs: string[];
  /** Bytes of the written .onnx file (plus its .data file when weights went external). */
  onnxBytes: number;
  /** Tensor types found in the GGUF, e.g. { Q4_1: 210, F32: 61, Q8_0: 1 }. */
  ggufTensorTypes: Record<string, number>;
}

/**
 * Converts a llama-family GGUF to an ONNX decoder with an in-graph entropy output (see
 * decoder-graph.ts for inputs/outputs). Weights are dequantised to float32. `outPath` appears only
 * when complete (temp name + rename).
 */
export async function convertGgufToOnnx(ggufPath: string, outPath: string, options: ConvertOptions = {}): Promise<ConvertedDecoder> {
  const file = await GgufFile.open(ggufPath);
  try {
    const meta = file.metadata;
    const tokens = meta.has('tokenizer.ggml.tokens') ? meta.getStringArray('tokenizer.ggml.tokens').length : undefined;
    const cfg = llamaConfigFromGguf(meta, ggufPath, tokens);
    const types: Record<string, number> = {};
    for (const t of file.tensors) {
      const name = ggmlTypeName(t.type);
      types[name] = (types[name] ?? 0) + 1;
      if (!canDequantize(t.type)) throw new EntropyLongError(`${ggufPath}: tensor '${t.name}' has type ${name}, which is not supported`);
    }
    const g = await buildLlamaDecoder(cfg, ggufLlamaWeights(file, cfg), options);
    await g.save(outPath);
    const size = (await stat(outPath)).size + (await stat(`${outPath}.data`).then((s) => s.size, () => 0));
    return {
      ...cfg,
      inputs: ['input_ids', 'attention_mask'],
      outputs: options.withLogits === true ? ['entropy', 'logits'] : ['entropy'],
      onnxBytes: size,
      ggufTensorTypes: types,
    };
  } finally {
    await file.close();
  }
}
