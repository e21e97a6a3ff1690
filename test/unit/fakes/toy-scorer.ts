/**
 * FAKE FOR UNIT TESTS ONLY — not a language model. A deterministic Scorer over a toy bigram-cache
 * LM: the prediction after token x_i is p(v) ∝ 1 + β·count(x_i → v in the prefix), over a fixed
 * vocabulary size (token ids are word hashes; only the size enters the entropy). Its entropies truly depend on the whole prefix (a context that contains the bigrams
 * of a document lowers the document's entropies), which is what verification tests need.
 */
import type { Scorer } from '../../../src/ports/scorer.ts';

const VOCABULARY = 4096;
const BETA = 20000;
const PARAGRAPH = 2;

const hash = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
};

export class ToyScorer implements Scorer {
  readonly modelId = 'toy-bigram-cache';
  readonly contextLength: number;
  /** Σ of input lengths over every nextTokenEntropies call. */
  forwardedTokens = 0;
  calls = 0;
  readonly batchSizes: number[] = [];
  private readonly words = new Map<number, string>();
  private failOn: ((batch: readonly (readonly number[])[]) => boolean) | undefined;

  constructor(options: { contextLength?: number; failOn?: (batch: readonly (readonly number[])[]) => boolean } = {}) {
    this.contextLength = options.contextLength ?? 100_000;
    this.failOn = options.failOn;
  }

  async tokenize(texts: readonly string[]): Promise<number[][]> {
    return texts.map((text) => (text.match(/\n\n|\S+/gu) ?? []).map((w) => {
      if (w === '\n\n') return PARAGRAPH;
      // 31-bit ids: collisions (which would make detokenize depend on call order) are negligible.
      const id = 3 + (hash(w) % 0x7ffffff0);
      this.words.set(id, w);
      return id;
    }));
  }

  async detokenize(ids: readonly number[]): Promise<string> {
    return ids.map((id) => (id === PARAGRAPH ? '\n\n' : this.words.get(id) ?? `<${id}>`)).join(' ');
  }

  async nextTokenEntropies(batch: readonly (readonly number[])[]): Promise<Float32Array[]> {
    if (this.failOn?.(batch)) throw new Error('toy scorer: injected failure');
    this.calls++;
    this.batchSizes.push(batch.length);
    return batch.map((seq) => {
      this.forwardedTokens += seq.length;
      return toyEntropies(seq);
    });
  }

  async close(): Promise<void> {}
}

/** value[i] = entropy (nats) of the toy prediction after x_0..x_i. */
export function toyEntropies(seq: readonly number[]): Float32Array {
  const followers = new Map<number, Map<number, number>>();
  const out = new Float32Array(seq.length);
  for (let i = 0; i < seq.length; i++) {
    const cur = seq[i] as number;
    if (i > 0) {
      const prev = seq[i - 1] as number;
      const f = followers.get(prev) ?? new Map<number, number>();
      f.set(cur, (f.get(cur) ?? 0) + 1);
      followers.set(prev, f);
    }
    const counts = [...(followers.get(cur)?.values() ?? [])];
    const total = counts.reduce((a, b) => a + b, 0);
    const z = VOCABULARY + BETA * total;
    let h = ((VOCABULARY - counts.length) / z) * Math.log(z);
    for (const c of counts) {
      const p = (1 + BETA * c) / z;
      h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}
