import { stat } from 'node:fs/promises';
import { GgufFile } from '../gguf/gguf-reader.ts';
import { ggmlTypeName } from '../gguf/ggml-types.ts';
import { canDequantize } from '../gguf/dequantize.ts';
import { EntropyLongError } from '../../util/errors.ts';
import { llamaConfigFromGguf, type LlamaConfig } from './llama-config.ts';
import { ggufLlamaWeightsAs } from './llama-weights.ts';
import { buildLlamaDecoder } from './decoder-graph.ts';
import { weightOps } from './matrix-ops.ts';
import { weightFromGguf, type WeightMatrix } from './block-quant.ts';

/**
 * How weights are stored in the ONNX model; both keep the GGUF's weight values exactly:
 * - 'blocks' (default): Q4_0/Q4_1/Q4_K as 4-bit and Q8_0/Q5_0 as 8-bit MatMulNBits blocks (other types
 *   float32); near the GGUF's size, and with accuracyLevel 4 activations are int8 per block as in llama.cpp.
 * - 'float32': every weight dequantised, Gemm in float32.
 */
export type WeightFormat = 'blocks' | 'float32';

export interface ConvertOptions {
  weights?: WeightFormat;
  /** See DecoderGraphOptions.attention. @default 'gqa' */
  attention?: 'gqa' | 'primitive';
  /** MatMulNBits accuracy_level for 'blocks' (4: int8 activations, as llama.cpp; 0: float activations). @default 4 */
  accuracyLevel?: number;
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
  weights: WeightFormat;
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
    const format = options.weights ?? 'blocks';
    const weights = ggufLlamaWeightsAs<WeightMatrix>(file, cfg, async (name) => {
      const t = file.requireTensor(name);
      const [cols, rows] = [t.dims[0]!, t.dims[1]!];
      return format === 'float32'
        ? { kind: 'f32', rows, cols, data: await file.readFloat32(name) }
        : weightFromGguf(t.type, await file.readRaw(name), rows, cols, `${ggufPath}: tensor '${name}'`);
    });
    const g = await buildLlamaDecoder(cfg, weights, weightOps({ accuracyLevel: options.accuracyLevel ?? 4 }), options);
    await g.save(outPath);
    const size = (await stat(outPath)).size + (await stat(`${outPath}.data`).then((s) => s.size, () => 0));
    return {
      ...cfg,
      inputs: ['input_ids', 'attention_mask'],
      outputs: options.withLogits === true ? ['entropy', 'logits'] : ['entropy'],
      onnxBytes: size,
      ggufTensorTypes: types,
      weights: format,
    };
  } finally {
    await file.close();
  }
}
