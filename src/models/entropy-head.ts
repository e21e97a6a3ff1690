import type { GraphBuilder } from './onnx/graph-builder.ts';

export { wrapDecoderWithEntropyHead, type WrapOptions, type WrapResult } from './entropy-head-wrap.ts';

/**
 * Appends H = logsumexp(z) − Σ softmax(z)·z over the last axis of `logits` (any rank, float32),
 * computed as log S − (Σ e·z′)/S with z′ = z − max z, e = exp z′, S = Σ e: every exponent is ≤ 0, so
 * nothing overflows. Returns the entropy value (the logits' shape without the last axis), in nats.
 * `opset` is the graph's default-domain opset (≥ 13; ReduceMax takes axes as an input from 18).
 */
export function appendEntropyHead(g: GraphBuilder, logits: string, prefix = 'entropy_head/', opset = 17): string {
  const n = (s: string) => ({ name: `${prefix}${s}` });
  const max = opset >= 18
    ? g.op('ReduceMax', [logits, g.constInt64([-1], [1], `${prefix}max_axes`)], { keepdims: 1 }, n('max'))
    : g.op('ReduceMax', [logits], { axes: [-1], keepdims: 1 }, n('max'));
  const shifted = g.op('Sub', [logits, max], {}, n('shift'));
  const e = g.op('Exp', [shifted], {}, n('exp'));
  const axes = g.constInt64([-1], [1], `${prefix}axes`);
  const sum = g.op('ReduceSum', [e, axes], { keepdims: 0 }, n('sum'));
  const weighted = g.op('ReduceSum', [g.op('Mul', [e, shifted], {}, n('e_z')), axes], { keepdims: 0 }, n('weighted_sum'));
  return g.op('Sub', [g.op('Log', [sum], {}, n('log_sum')), g.op('Div', [weighted, sum], {}, n('mean_z'))], {}, n('entropy'));
}
