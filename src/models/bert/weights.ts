import { UserError } from '../../util/errors.ts';
import type { SafetensorsFile } from '../safetensors/index.ts';
import type { BertConfig } from './config.ts';

export interface BertLayerWeights {
  /** Linear weights as stored by PyTorch: [out, in]. */
  readonly qW: Float32Array; readonly qB: Float32Array;
  readonly kW: Float32Array; readonly kB: Float32Array;
  readonly vW: Float32Array; readonly vB: Float32Array;
  readonly oW: Float32Array; readonly oB: Float32Array;
  readonly ln1G: Float32Array; readonly ln1B: Float32Array;
  readonly fc1W: Float32Array; readonly fc1B: Float32Array;
  readonly fc2W: Float32Array; readonly fc2B: Float32Array;
  readonly ln2G: Float32Array; readonly ln2B: Float32Array;
}

export interface BertWeights {
  readonly word: Float32Array;
  readonly position: Float32Array;
  readonly tokenType: Float32Array;
  readonly embLnG: Float32Array;
  readonly embLnB: Float32Array;
  readonly layers: readonly BertLayerWeights[];
}

/**
 * Loads every tensor the encoder needs, checking each shape against the config. Accepts names
 * with or without the `bert.` prefix (BertModel vs. BertFor* checkpoints); pooler weights are
 * not used (sentence embeddings mean-pool the last hidden state).
 */
export async function loadBertWeights(file: SafetensorsFile, cfg: BertConfig): Promise<BertWeights> {
  const prefix = file.tensors.has('embeddings.word_embeddings.weight') ? '' : file.tensors.has('bert.embeddings.word_embeddings.weight') ? 'bert.' : undefined;
  if (prefix === undefined) throw new UserError(`safetensors ${file.path}: no 'embeddings.word_embeddings.weight' tensor (not a BERT checkpoint?)`);
  const H = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const get = async (name: string, shape: readonly number[]): Promise<Float32Array> => {
    const full = prefix + name;
    const info = file.info(full);
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw new UserError(`safetensors ${file.path}: tensor '${full}' has shape [${info.shape.join(', ')}], the config needs [${shape.join(', ')}]`);
    }
    return file.readFloat32(full);
  };
  const layers: BertLayerWeights[] = [];
  for (let l = 0; l < cfg.numLayers; l++) {
    const p = `encoder.layer.${l}.`;
    layers.push({
      qW: await get(`${p}attention.self.query.weight`, [H, H]), qB: await get(`${p}attention.self.query.bias`, [H]),
      kW: await get(`${p}attention.self.key.weight`, [H, H]), kB: await get(`${p}attention.self.key.bias`, [H]),
      vW: await get(`${p}attention.self.value.weight`, [H, H]), vB: await get(`${p}attention.self.value.bias`, [H]),
      oW: await get(`${p}attention.output.dense.weight`, [H, H]), oB: await get(`${p}attention.output.dense.bias`, [H]),
      ln1G: await get(`${p}attention.output.LayerNorm.weight`, [H]), ln1B: await get(`${p}attention.output.LayerNorm.bias`, [H]),
      fc1W: await get(`${p}intermediate.dense.weight`, [I, H]), fc1B: await get(`${p}intermediate.dense.bias`, [I]),
      fc2W: await get(`${p}output.dense.weight`, [H, I]), fc2B: await get(`${p}output.dense.bias`, [H]),
      ln2G: await get(`${p}output.LayerNorm.weight`, [H]), ln2B: await get(`${p}output.LayerNorm.bias`, [H]),
    });
  }
  return {
    word: await get('embeddings.word_embeddings.weight', [cfg.vocabSize, H]),
    position: await get('embeddings.position_embeddings.weight', [cfg.maxPositions, H]),
    tokenType: await get('embeddings.token_type_embeddings.weight', [cfg.typeVocabSize, H]),
    embLnG: await get('embeddings.LayerNorm.weight', [H]),
    embLnB: await get('embeddings.LayerNorm.bias', [H]),
    layers,
  };
}
