import type { ExecutionProvider } from './worker-protocol.ts';

/** Settings of an ONNX scorer. Defaults suit the SmolLM2-135M model on a few CPU cores. */
export interface OnnxScorerOptions {
  /** ONNX decoder with inputs input_ids, attention_mask (int64 [batch, seq]) and output entropy (float32 [batch, seq]). */
  readonly modelPath: string;
  readonly tokenizerPath: string;
  readonly modelId: string;
  /** The model's context length: the most tokens one forward pass may take. */
  readonly contextLength: number;
  /** Tokens per scoring window. @default contextLength */
  readonly window?: number;
  /** Stride between windows, ≤ window/2. @default window/2 */
  readonly stride?: number;
  /** Most sequences (windows) in one forward pass. @default 8 */
  readonly maxBatchSize?: number;
  /** Most padded tokens (rows × longest row) in one forward pass. @default 8192 */
  readonly maxBatchTokens?: number;
  /** @default 1 */
  readonly workers?: number;
  /** ONNX Runtime intra-op threads per worker. @default 0 (one per core) */
  readonly intraOpThreads?: number;
  /** @default 'cpu' */
  readonly executionProvider?: ExecutionProvider | string;
  /** Name of the entropy output. @default 'entropy' */
  readonly entropyOutput?: string;
}
