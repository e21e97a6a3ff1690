/** A sentence-embedding model: texts → L2-normalised vectors of `dimension` floats. */
export interface Embedder {
  readonly modelId: string;
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}
