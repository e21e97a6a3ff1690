import { GraphBuilder, attr } from '../onnx/index.ts';
import type { BertConfig } from './config.ts';
import type { BertWeights } from './weights.ts';

/** Additive attention bias for padded keys: large enough to zero them after softmax, finite. */
const MASKED_SCORE = -1e9;

/** PyTorch [out, in] → MatMul's [in, out]. */
function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
  return t;
}

/**
 * A BERT encoder with sentence-transformers pooling, as one ONNX graph:
 *   inputs  input_ids, attention_mask  int64 [batch, seq]   (token_type_ids are all zero)
 *   output  embedding                  float [batch, hidden]
 * The embedding is the mean of the last hidden states over positions whose mask is 1, scaled to
 * unit L2 norm (what all-MiniLM-L6-v2's Pooling + Normalize modules compute).
 */
export function buildBertEmbedderGraph(cfg: BertConfig, w: BertWeights): GraphBuilder {
  const H = cfg.hiddenSize;
  const I = cfg.intermediateSize;
  const heads = cfg.numHeads;
  const dh = H / heads;
  const eps = attr.float(cfg.layerNormEps);
  const g = new GraphBuilder('bert_embedder', 17);

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
  let x = g.op('LayerNormalization', [emb, g.initializer('embeddings.ln.g', w.embLnG, [H]), g.initializer('embeddings.ln.b', w.embLnB, [H])], { axis: -1, epsilon: eps });

  // [batch, seq] mask → float, and → additive bias [batch, 1, 1, seq] for the attention scores.
  const maskF = g.op('Cast', [mask], { to: 1 });
  const bias = g.op('Mul', [g.op('Sub', [g.constFloat([1]), maskF]), g.constFloat([MASKED_SCORE])]);
  const maskBias = g.op('Unsqueeze', [bias, g.constInt64([1, 2])]);
  const toHeads = g.constInt64([0, 0, heads, dh]);
  const fromHeads = g.constInt64([0, 0, H]);
  const scale = 1 / Math.sqrt(dh);

  w.layers.forEach((L, l) => {
    const n = (s: string): string => `layer${l}.${s}`;
    // Q, K, V in one MatMul; the 1/sqrt(dh) scale is folded into Q's weights and bias.
    const qkvW = new Float32Array(H * 3 * H);
    const qT = transpose(L.qW, H, H);
    const kT = transpose(L.kW, H, H);
    const vT = transpose(L.vW, H, H);
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < H; c++) {
        qkvW[r * 3 * H + c] = qT[r * H + c]! * scale;
        qkvW[r * 3 * H + H + c] = kT[r * H + c]!;
        qkvW[r * 3 * H + 2 * H + c] = vT[r * H + c]!;
      }
    }
    const qkvB = new Float32Array(3 * H);
    for (let c = 0; c < H; c++) {
      qkvB[c] = L.qB[c]! * scale;
      qkvB[H + c] = L.kB[c]!;
      qkvB[2 * H + c] = L.vB[c]!;
    }
    const qkv = g.op('Add', [g.op('MatMul', [x, g.initializer(n('qkv.w'), qkvW, [H, 3 * H])]), g.initializer(n('qkv.b'), qkvB, [3 * H])]);
    const [q, k, v] = g.opMulti('Split', [qkv, g.constInt64([H, H, H])], { axis: -1 }, { outputs: 3 }) as [string, string, string];
    const qh = g.op('Transpose', [g.op('Reshape', [q, toHeads])], { perm: [0, 2, 1, 3] });
    const kh = g.op('Transpose', [g.op('Reshape', [k, toHeads])], { perm: [0, 2, 3, 1] });
    const vh = g.op('Transpose', [g.op('Reshape', [v, toHeads])], { perm: [0, 2, 1, 3] });
    const probs = g.op('Softmax', [g.op('Add', [g.op('MatMul', [qh, kh]), maskBias])], { axis: -1 });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, vh])], { perm: [0, 2, 1, 3] }), fromHeads]);
    const attnOut = g.op('Add', [g.op('MatMul', [ctx, g.initializer(n('attn_out.w'), transpose(L.oW, H, H), [H, H])]), g.initializer(n('attn_out.b'), L.oB, [H])]);
    x = g.op('LayerNormalization', [g.op('Add', [attnOut, x]), g.initializer(n('ln1.g'), L.ln1G, [H]), g.initializer(n('ln1.b'), L.ln1B, [H])], { axis: -1, epsilon: eps });

    const pre = g.op('Add', [g.op('MatMul', [x, g.initializer(n('fc1.w'), transpose(L.fc1W, I, H), [H, I])]), g.initializer(n('fc1.b'), L.fc1B, [I])]);
    // GELU, erf form: 0.5 · x · (1 + erf(x / √2)).
    const gelu = g.op('Mul', [g.op('Mul', [pre, g.constFloat([0.5])]), g.op('Add', [g.op('Erf', [g.op('Mul', [pre, g.constFloat([Math.SQRT1_2])])]), g.constFloat([1])])]);
    const ffOut = g.op('Add', [g.op('MatMul', [gelu, g.initializer(n('fc2.w'), transpose(L.fc2W, H, I), [I, H])]), g.initializer(n('fc2.b'), L.fc2B, [H])]);
    x = g.op('LayerNormalization', [g.op('Add', [ffOut, x]), g.initializer(n('ln2.g'), L.ln2G, [H]), g.initializer(n('ln2.b'), L.ln2B, [H])], { axis: -1, epsilon: eps });
  });

  // Mean pooling over unmasked positions, then L2 normalisation (norm clamped like F.normalize).
  const m3 = g.op('Unsqueeze', [maskF, g.constInt64([2], [1])]);
  const summed = g.op('ReduceSum', [g.op('Mul', [x, m3]), g.constInt64([1], [1])], { keepdims: 0 });
  const count = g.op('Clip', [g.op('ReduceSum', [maskF, g.constInt64([1], [1])], { keepdims: 1 }), g.constFloat([1e-9])]);
  const mean = g.op('Div', [summed, count]);
  const norm = g.op('Clip', [g.op('Sqrt', [g.op('ReduceSumSquare', [mean], { axes: [-1], keepdims: 1 })]), g.constFloat([1e-12])]);
  g.output(g.op('Div', [mean, norm]), 'embedding', 'float', ['batch', H]);
  return g;
}
