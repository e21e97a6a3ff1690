/**
 * A causal language model that reports predictive entropy (nats).
 *
 * Contract of `nextTokenEntropies`: for each input sequence x_0..x_{n−1} it returns n values where
 * value i is the entropy of p(· | x_0..x_i), i.e. of the prediction of token i+1. Hence
 * H(x_t | x_<t) = value[t − 1]. Sequences longer than the model's context are scored with
 * overlapping windows by the implementation; the caller never sees logits.
 */
export interface Scorer {
  readonly modelId: string;
  /** The most tokens one forward pass takes. */
  readonly contextLength: number;
  tokenize(texts: readonly string[]): Promise<number[][]>;
  detokenize(ids: readonly number[]): Promise<string>;
  nextTokenEntropies(batch: readonly (readonly number[])[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}
