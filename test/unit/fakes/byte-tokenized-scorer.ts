import type { Scorer } from '../../../src/ports/scorer.ts';

/**
 * TEST ADAPTER: a real ONNX Scorer (the tiny random-weight llama fixture) tokenized by bytes
 * (id = 3 + byte, the fixture vocabulary's byte tokens), so no tokenizer file is needed.
 */
export class ByteTokenizedScorer implements Scorer {
  readonly modelId = 'tiny-llama-bytes';
  constructor(private readonly onnx: Scorer) {}
  get contextLength(): number {
    return this.onnx.contextLength;
  }
  async tokenize(texts: readonly string[]): Promise<number[][]> {
    return texts.map((t) => [...Buffer.from(t, 'utf8')].map((b) => 3 + b));
  }
  async detokenize(ids: readonly number[]): Promise<string> {
    return Buffer.from(ids.map((i) => i - 3)).toString('utf8');
  }
  nextTokenEntropies(batch: readonly (readonly number[])[]): Promise<Float32Array[]> {
    return this.onnx.nextTokenEntropies(batch);
  }
  close(): Promise<void> {
    return this.onnx.close();
  }
}
