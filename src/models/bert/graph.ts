import { GraphBuilder, attr } from '../onnx/index.ts';
import type { BertConfig } from './config.ts';
import { contribLayer, layerInputs, standardLayer, type BertKernels } from './graph-layers.ts';
import type { BertWeights } from './weights.ts';

export type { BertKernels } from './graph-layers.ts';

/**
 * A BERT encoder with sentence-transformers pooling, as one ONNX graph:
 *   inputs  input_ids, attention_mask  int64 [batch, seq]   (token_type_ids are all zero)
 *   output  embedding                  float [batch, hidden]
 * The embedding is the mean of the last hidden states over positions whose mask is 1, scaled to
 * unit L2 norm (what all-MiniLM-L6-v2's Pooling + Normalize modules compute).
 */
export function buildBertEmbedderGraph(cfg: BertConfig, w: BertWeights, kernels: BertKernels = 'onnx'): GraphBuilder {
  const H = cfg.hiddenSize;
  const g = new GraphBuilder('bert_embedder', 17);
  if (kernels === 'ort-contrib') g.useDomain('com.microsoft', 1);

  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  const mask = g.input('attention_mask', 'int64', ['batch', 'seq']);

  // Embeddings. Token type 0's row is folded into the position table (one add fewer per call).
  const posPlusType = new Float32Array(w.position);
  for (let p = 0; p < cfg.maxPositions; p++) for (let h = 0; h < H; h++) posPlusType[p * H + h]! += w.tokenType[h]!;
  const wordTable = g.initializer('embeddings.word', w.word, [cfg.vocabSize, H]);
  const posTable = g.initializer('embeddings.position_plus_type0', posPlusType, [cfg.maxPositions, H]);
  const seqLen = g.op('Gather', [g.op('Shape', [ids]), g.constInt64([1])], { axis: 0 });
  const positions = g.op('Range', [g.constInt64([0]), seqLen, g.constInt64([1])]);
  const emb = g.op('Add', [g.op('Gather', [wordTable, ids], { axis: 0 }), g.op('Gather', [posTable, positions], { axis: 0 })]);
  let x = g.op('LayerNormalization', [emb, g.initializer('embeddings.ln.g', w.embLnG, [H]), g.initializer('embeddings.ln.b', w.embLnB, [H])], { axis: -1, epsilon: attr.float(cfg.layerNormEps) });

  const inp = layerInputs(g, mask, kernels);
  const layer = kernels === 'ort-contrib' ? contribLayer : standardLayer;
  w.layers.forEach((L, l) => {
    x = layer(g, cfg, L, l, x, inp);
  });

  // Mean pooling over unmasked positions, then L2 normalisation (norm clamped like F.normalize).
  const m3 = g.op('Unsqueeze', [inp.maskF, g.constInt64([2], [1])]);
  const summed = g.op('ReduceSum', [g.op('Mul', [x, m3]), g.constInt64([1], [1])], { keepdims: 0 });
  const count = g.op('Clip', [g.op('ReduceSum', [inp.maskF, g.constInt64([1], [1])], { keepdims: 1 }), g.constFloat([1e-9])]);
  const mean = g.op('Div', [summed, count]);
  const norm = g.op('Clip', [g.op('Sqrt', [g.op('ReduceSumSquare', [mean], { axes: [-1], keepdims: 1 })]), g.constFloat([1e-12])]);
  g.output(g.op('Div', [mean, norm]), 'embedding', 'float', ['batch', H]);
  return g;
}
