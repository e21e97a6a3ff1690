import type { ExecutionProvider } from '../runtime/index.ts';

/** Settings of an ONNX sentence embedder. Defaults suit all-MiniLM-L6-v2 on a few CPU cores. */
export interface OnnxEmbedderOptions {
  /** ONNX model with inputs input_ids, attention_mask (int64 [batch, seq]) and output embedding (float32 [batch, dimension]), unit-norm rows. */
  readonly modelPath: string;
  /** A BERT WordPiece tokenizer.json (tokenizer_config.json beside it is read when present). */
  readonly tokenizerPath: string;
  readonly modelId: string;
  readonly dimension: number;
  /** Longest input in tokens, [CLS]/[SEP] included; longer texts are truncated. @default 256 */
  readonly maxTokens?: number;
  /** Most texts in one forward pass. @default 32 */
  readonly maxBatchSize?: number;
  /** Most padded tokens (rows × longest row) in one forward pass. @default 4096 */
  readonly maxBatchTokens?: number;
  /** @default 1 */
  readonly workers?: number;
  /** ONNX Runtime intra-op threads per worker. @default 0 (one per core) */
  readonly intraOpThreads?: number;
  /** @default 'cpu' */
  readonly executionProvider?: ExecutionProvider | string;
  /** @default 0 */
  readonly deviceId?: number;
}
