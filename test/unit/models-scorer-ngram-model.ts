/**
 * Test-only model (not a real LM): a random causal n-gram "decoder" built with the project's ONNX
 * graph builder. Its entropy at position i depends only on tokens i−order+1 … i, so scoring with
 * windows whose owned positions have ≥ order−1 tokens of left context must equal scoring whole.
 * Same I/O as the real decoder: input_ids, attention_mask int64 [batch, seq] → entropy float32 [batch, seq].
 */
import { GraphBuilder } from '../../src/models/onnx/index.ts';
import { mulberry32 } from '../../src/algorithms/seeded-random.ts';

export interface NgramModelSpec {
  readonly vocab: number;
  readonly dim: number;
  readonly order: number;
  readonly seed: number;
}

const random = mulberry32;

export async function writeNgramModel(path: string, spec: NgramModelSpec): Promise<void> {
  const rnd = random(spec.seed);
  const weights = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * scale);
  const { vocab: V, dim: D, order: K } = spec;
  const g = new GraphBuilder('ngram');
  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  const mask = g.input('attention_mask', 'int64', ['batch', 'seq']);
  const emb = g.op('Gather', [g.initializer('embed', weights(V * D, 1), [V, D]), ids], { axis: 0 });
  let acc = g.op('MatMul', [emb, g.initializer('w0', weights(D * D, 0.5), [D, D])]);
  for (let j = 1; j < K; j++) {
    const padded = g.op('Pad', [emb, g.constInt64([0, j, 0, 0, 0, 0])]);
    const shifted = g.op('Slice', [padded, g.constInt64([0], [1]), g.constInt64([-j], [1]), g.constInt64([1], [1])]);
    acc = g.op('Add', [acc, g.op('MatMul', [shifted, g.initializer(`w${j}`, weights(D * D, 0.5), [D, D])])]);
  }
  const z = g.op('MatMul', [g.op('Tanh', [acc]), g.initializer('unembed', weights(D * V, 3), [D, V])]);
  const lse = g.op('ReduceLogSumExp', [z], { axes: [-1], keepdims: 0 });
  const expected = g.op('ReduceSum', [g.op('Mul', [g.op('Softmax', [z], { axis: -1 }), z]), g.constInt64([-1], [1])], { keepdims: 0 });
  const entropy = g.op('Mul', [g.op('Sub', [lse, expected]), g.op('Cast', [mask], { to: 1 })]);
  g.output(entropy, 'entropy', 'float', ['batch', 'seq']);
  await g.save(path);
}
