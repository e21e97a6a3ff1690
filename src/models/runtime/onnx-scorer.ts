import type { Scorer } from '../../ports/scorer.ts';
import { EntropyLongError } from '../../util/errors.ts';
import { Tokenizer } from '../tokenizer/tokenizer.ts';
import { planBatches } from './batch-plan.ts';
import type { OnnxScorerOptions } from './onnx-scorer-options.ts';
import { OnnxWorkerPool, type FeedTensor } from './onnx-worker.ts';
import { planWindows } from './sliding-windows.ts';

const SESSION = 'decoder';

interface Row {
  readonly seq: number;
  readonly start: number;
  readonly length: number;
  /** Positions [ownFrom, ownTo) of sequence `seq` come from this row. */
  readonly ownFrom: number;
  readonly ownTo: number;
}

/**
 * Scorer over an ONNX decoder with an in-graph entropy output, run in worker threads.
 * Sequences longer than `window` are scored with overlapping windows (see sliding-windows.ts);
 * windows of all sequences in a call are batched together, right-padded, with attention_mask
 * 1 on real tokens. Tokenization runs in the calling thread.
 */
export class OnnxScorer implements Scorer {
  readonly modelId: string;
  readonly contextLength: number;
  readonly window: number;
  readonly stride: number;
  private readonly maxBatchSize: number;
  private readonly maxBatchTokens: number;
  private readonly entropyOutput: string;
  private readonly feedsPositionIds: boolean;

  private constructor(
    options: OnnxScorerOptions,
    private readonly tokenizer: Tokenizer,
    private readonly pool: OnnxWorkerPool,
    inputNames: readonly string[],
  ) {
    this.modelId = options.modelId;
    this.contextLength = options.contextLength;
    this.window = options.window ?? options.contextLength;
    this.stride = options.stride ?? Math.floor(this.window / 2);
    this.maxBatchSize = options.maxBatchSize ?? 8;
    this.maxBatchTokens = options.maxBatchTokens ?? 8192;
    this.entropyOutput = options.entropyOutput ?? 'entropy';
    this.feedsPositionIds = inputNames.includes('position_ids');
  }

  static async open(options: OnnxScorerOptions): Promise<OnnxScorer> {
    const window = options.window ?? options.contextLength;
    const stride = options.stride ?? Math.floor(window / 2);
    if (!Number.isInteger(options.contextLength) || options.contextLength < 2) {
      throw new EntropyLongError(`scorer ${options.modelId}: contextLength must be an integer ≥ 2, got ${options.contextLength}`);
    }
    if (window > options.contextLength) throw new EntropyLongError(`scorer ${options.modelId}: window ${window} exceeds the model's context length ${options.contextLength}`);
    planWindows(0, window, stride); // validates window and stride
    const tokenizer = await Tokenizer.fromFile(options.tokenizerPath);
    const pool = await OnnxWorkerPool.start({
      workers: options.workers ?? 1,
      intraOpThreads: options.intraOpThreads ?? 0,
      executionProvider: options.executionProvider ?? 'cpu',
    });
    try {
      const info = await pool.load(SESSION, options.modelPath);
      const output = options.entropyOutput ?? 'entropy';
      const missing = ['input_ids', 'attention_mask'].filter((n) => !info.inputNames.includes(n));
      if (missing.length > 0) throw new EntropyLongError(`ONNX model ${options.modelPath}: missing input(s) ${missing.join(', ')} (has ${info.inputNames.join(', ')})`);
      if (!info.outputNames.includes(output)) throw new EntropyLongError(`ONNX model ${options.modelPath}: no output '${output}' (has ${info.outputNames.join(', ')})`);
      return new OnnxScorer(options, tokenizer, pool, info.inputNames);
    } catch (e) {
      await pool.close();
      throw e;
    }
  }

  tokenize(texts: readonly string[]): Promise<number[][]> {
    return Promise.resolve(texts.map((t) => this.tokenizer.encode(t)));
  }

  detokenize(ids: readonly number[]): Promise<string> {
    return Promise.resolve(this.tokenizer.decode(ids));
  }

  async nextTokenEntropies(batch: readonly (readonly number[])[]): Promise<Float32Array[]> {
    batch.forEach((ids, s) => this.validate(ids, s));
    const rows: Row[] = [];
    batch.forEach((ids, seq) => {
      for (const w of planWindows(ids.length, this.window, this.stride)) {
        rows.push({ seq, start: w.start, length: w.end - w.start, ownFrom: w.ownFrom, ownTo: w.ownTo });
      }
    });
    const out = batch.map((ids) => new Float32Array(ids.length));
    const passes = planBatches(rows, this.maxBatchSize, this.maxBatchTokens);
    await Promise.all(
      passes.map(async (pass) => {
        const entropy = await this.forward(batch, pass);
        const width = pass[0]?.length ?? 0;
        pass.forEach((row, r) => {
          const target = out[row.seq] as Float32Array;
          const from = r * width + (row.ownFrom - row.start);
          target.set(entropy.subarray(from, from + (row.ownTo - row.ownFrom)), row.ownFrom);
        });
      }),
    );
    return out;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async forward(batch: readonly (readonly number[])[], pass: readonly Row[]): Promise<Float32Array> {
    const width = pass[0]?.length ?? 0;
    const n = pass.length * width;
    const ids = new Int32Array(n);
    const mask = new Int32Array(n);
    pass.forEach((row, r) => {
      const src = batch[row.seq] as readonly number[];
      for (let i = 0; i < row.length; i++) {
        ids[r * width + i] = src[row.start + i] as number;
        mask[r * width + i] = 1;
      }
    });
    const dims = [pass.length, width];
    const feeds: Record<string, FeedTensor> = {
      input_ids: { type: 'int64', data: ids, dims },
      attention_mask: { type: 'int64', data: mask, dims },
    };
    if (this.feedsPositionIds) {
      const pos = new Int32Array(n);
      for (let r = 0; r < pass.length; r++) for (let i = 0; i < width; i++) pos[r * width + i] = i;
      feeds.position_ids = { type: 'int64', data: pos, dims };
    }
    const result = await this.pool.run(SESSION, feeds, [this.entropyOutput]);
    const t = result[this.entropyOutput];
    if (t === undefined || !(t.data instanceof Float32Array) || t.data.length !== n) {
      throw new EntropyLongError(`scorer ${this.modelId}: output '${this.entropyOutput}' is not float32 [${dims.join(', ')}] (got ${t?.type ?? 'nothing'} [${t?.dims.join(', ') ?? ''}])`);
    }
    return t.data;
  }

  private validate(ids: readonly number[], seq: number): void {
    const vocab = this.tokenizer.vocabSize;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocab) {
        throw new EntropyLongError(`scorer ${this.modelId}: batch[${seq}][${i}] = ${String(id)} is not a token id (vocabulary of ${vocab})`);
      }
    }
  }
}
