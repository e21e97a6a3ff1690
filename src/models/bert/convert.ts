import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../util/errors.ts';
import { SafetensorsFile } from '../safetensors/index.ts';
import { parseBertConfig, type BertConfig } from './config.ts';
import { buildBertEmbedderGraph, type BertKernels } from './graph.ts';
import { loadBertWeights } from './weights.ts';

export interface BertConversionInfo {
  readonly architecture: 'bert';
  readonly config: BertConfig;
  readonly dimension: number;
  readonly onnxPath: string;
  readonly onnxBytes: number;
  readonly kernels: BertKernels;
}

/**
 * Converts a Hugging Face BERT folder (config.json + model.safetensors) into an ONNX sentence
 * embedder (see buildBertEmbedderGraph). The model is written to a temporary name and renamed,
 * so `outPath` exists only when complete.
 */
export async function convertBertToOnnx(modelDir: string, outPath: string, opts: { onProgress?: (line: string) => void; kernels?: BertKernels } = {}): Promise<BertConversionInfo> {
  const log = opts.onProgress ?? (() => undefined);
  const configPath = join(modelDir, 'config.json');
  let rawConfig: unknown;
  try {
    rawConfig = JSON.parse(await readFile(configPath, 'utf8'));
  } catch (e) {
    throw new UserError(`${configPath}: cannot read BERT config (${(e as Error).message})`, { cause: e });
  }
  const config = parseBertConfig(rawConfig, configPath);
  const file = await SafetensorsFile.open(join(modelDir, 'model.safetensors'));
  try {
    log(`bert: ${config.numLayers} layers, hidden ${config.hiddenSize}, ${config.numHeads} heads, vocab ${config.vocabSize}`);
    const weights = await loadBertWeights(file, config);
    const graph = buildBertEmbedderGraph(config, weights, opts.kernels);
    await graph.save(outPath, { externalData: 'never', producerName: 'entropylong' });
  } finally {
    await file.close();
  }
  const onnxBytes = (await stat(outPath)).size;
  return { architecture: 'bert', config, dimension: config.hiddenSize, onnxPath: outPath, onnxBytes, kernels: opts.kernels ?? 'onnx' };
}
