import type { Embedder } from '../../ports/embedder.ts';
import { EntropyLongError } from '../../util/errors.ts';
import { OnnxWorkerPool } from '../runtime/index.ts';
import type { OnnxEmbedderOptions } from './onnx-embedder-options.ts';
import { WordPieceEncoder } from './wordpiece-encoder.ts';

const SESSION = 'embedder';
const OUTPUT = 'embedding';

/**
 * Embedder over an ONNX sentence-embedding model (see bert/graph.ts), run in worker threads.
 * Texts are tokenized in the calling thread, sorted by length so each batch pads little, batched
 * under maxBatchSize and maxBatchTokens, and the vectors returned in the order of the input.
 */
export class OnnxEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimension: number;
  private readonly maxBatchSize: number;
  private readonly maxBatchTokens: number;

  private constructor(options: OnnxEmbedderOptions, private readonly encoder: WordPieceEncoder, private readonly pool: OnnxWorkerPool) {
    this.modelId = options.modelId;
    this.dimension = options.dimension;
    this.maxBatchSize = options.maxBatchSize ?? 32;
    this.maxBatchTokens = options.maxBatchTokens ?? 4096;
  }

  static async open(options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const maxTokens = options.maxTokens ?? 256;
    const encoder = await WordPieceEncoder.load(options.tokenizerPath, maxTokens);
    const maxBatchTokens = options.maxBatchTokens ?? 4096;
    if (maxBatchTokens < maxTokens) throw new EntropyLongError(`embedder '${options.modelId}': maxBatchTokens ${maxBatchTokens} is below maxTokens ${maxTokens}`);
    const pool = await OnnxWorkerPool.start({
      workers: options.workers ?? 1,
      intraOpThreads: options.intraOpThreads ?? 0,
      executionProvider: options.executionProvider ?? 'cpu',
      deviceId: options.deviceId ?? 0,
    });
    try {
      const info = await pool.load(SESSION, options.modelPath);
      for (const name of ['input_ids', 'attention_mask']) {
        if (!info.inputNames.includes(name)) throw new EntropyLongError(`embedder model ${options.modelPath}: no input '${name}' (inputs: ${info.inputNames.join(', ')})`);
      }
      if (!info.outputNames.includes(OUTPUT)) throw new EntropyLongError(`embedder model ${options.modelPath}: no output '${OUTPUT}' (outputs: ${info.outputNames.join(', ')})`);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return new OnnxEmbedder(options, encoder, pool);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const encoded = texts.map((t) => this.encoder.encode(t));
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a]!.length - encoded[b]!.length);
    const batches: number[][] = [];
    let current: number[] = [];
    for (const i of order) {
      const len = encoded[i]!.length;
      if (current.length > 0 && (current.length + 1 > this.maxBatchSize || (current.length + 1) * len > this.maxBatchTokens)) {
        batches.push(current);
        current = [];
      }
      current.push(i);
    }
    if (current.length > 0) batches.push(current);

    const out = new Array<Float32Array>(texts.length);
    // Two batches in flight per worker keep every worker busy without queueing the whole call's
    // padded inputs at once.
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const vectors = await this.runBatch(batch.map((i) => encoded[i]!));
        batch.forEach((i, k) => {
          out[i] = vectors[k]!;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(batches.length, 2 * this.pool.size) }, lane));
    return out;
  }

  private async runBatch(rows: readonly number[][]): Promise<Float32Array[]> {
    const seq = Math.max(...rows.map((r) => r.length));
    const ids = new Int32Array(rows.length * seq);
    const mask = new Int32Array(rows.length * seq);
    rows.forEach((r, b) => {
      ids.set(r, b * seq);
      mask.fill(1, b * seq, b * seq + r.length);
    });
    const dims = [rows.length, seq];
    const res = await this.pool.run(SESSION, { input_ids: { type: 'int64', data: ids, dims }, attention_mask: { type: 'int64', data: mask, dims } }, [OUTPUT]);
    const emb = res[OUTPUT];
    if (emb === undefined || !(emb.data instanceof Float32Array) || emb.dims[0] !== rows.length || emb.dims[1] !== this.dimension) {
      throw new EntropyLongError(`embedder '${this.modelId}': output '${OUTPUT}' has dims [${emb?.dims.join(', ') ?? ''}], expected [${rows.length}, ${this.dimension}]`);
    }
    const data = emb.data;
    return rows.map((_, b) => data.slice(b * this.dimension, (b + 1) * this.dimension));
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
