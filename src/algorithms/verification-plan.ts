/**
 * Verification passes: which forward passes measure H(x_t | C, x_<t) for every (position t,
 * candidate C) pair of a document.
 *
 * Pass input (the same for the economical and the naive plan):
 *     tokens(C) ++ separator ++ x_b .. x_{e−1}
 * where tokens(C) is the candidate tokenized on its own, `separator` a fixed token sequence (the
 * ids of the configured context separator, possibly empty) and x the root document's own token
 * ids. With P = |tokens(C)| + |separator|, token x_t sits at input index P + t − b, so by the
 * Scorer contract (value[i] = entropy of predicting token i+1) H(x_t | C, x_b..x_{t−1}) is
 * value[P + t − b − 1]. x_t itself need not be in the input, so a pass that reads positions up to
 * m ends at e = m.
 *
 * Context start b(t): a pass holds at most `maxPassTokens` tokens (the verifier's window), so at
 * most L = maxPassTokens − P document tokens. Positions t ≤ L see the whole prefix (b = 0). Later
 * positions use a left context that starts on a grid of stride ⌊L/2⌋, b(t) = ⌈(t − L)/⌊L/2⌋⌉·⌊L/2⌋,
 * so each sees between ⌊L/2⌋ and L tokens of the document with C in view. b(t) depends only on
 * (t, P, maxPassTokens), so the naive plan (one pass per pair) and the economical plan (one pass
 * per distinct candidate and context start, ending at the last position it is tested at) read the
 * same conditional distributions: their decisions are identical.
 */

export interface CandidateTests {
  readonly chunkId: string;
  readonly candidateTokens: readonly number[];
  /** Root positions this candidate is tested at. */
  readonly positions: readonly number[];
}

export interface DocumentTests {
  readonly docKey: string;
  readonly docTokens: readonly number[];
  readonly tests: readonly CandidateTests[];
}

export interface PassReadout {
  readonly position: number;
  /** Index into the pass's entropy output. */
  readonly outputIndex: number;
}

export interface VerificationPass {
  readonly docKey: string;
  readonly chunkId: string;
  readonly candidateTokens: readonly number[];
  readonly separator: readonly number[];
  readonly docTokens: readonly number[];
  readonly docStart: number;
  readonly docEnd: number;
  /** Total input tokens. */
  readonly length: number;
  readonly readouts: readonly PassReadout[];
}

export interface UnverifiablePair {
  readonly docKey: string;
  readonly chunkId: string;
  readonly position: number;
  readonly reason: 'candidate_too_long' | 'empty_candidate' | 'position_out_of_range';
}

export interface PassPlan {
  readonly passes: VerificationPass[];
  readonly unverifiable: UnverifiablePair[];
  /** Σ over passes of their length. */
  readonly forwardedTokens: number;
  /** What one pass per verifiable (position, candidate) pair forwards: Σ (P + t − b(t)). */
  readonly naiveTokens: number;
}

/** b(t) for a document budget of `available` tokens (see the module comment). */
export function contextStart(position: number, available: number): number {
  if (position <= available) return 0;
  const stride = Math.max(1, Math.floor(available / 2));
  return Math.ceil((position - available) / stride) * stride;
}

/** The token ids a pass forwards. */
export function passInput(pass: VerificationPass): number[] {
  const out = new Array<number>(pass.length);
  let i = 0;
  for (const t of pass.candidateTokens) out[i++] = t;
  for (const t of pass.separator) out[i++] = t;
  for (let p = pass.docStart; p < pass.docEnd; p++) out[i++] = pass.docTokens[p] ?? 0;
  return out;
}

type Grouping = 'economical' | 'naive';

function plan(docs: readonly DocumentTests[], separator: readonly number[], maxPassTokens: number, grouping: Grouping): PassPlan {
  const passes: VerificationPass[] = [];
  const unverifiable: UnverifiablePair[] = [];
  let forwardedTokens = 0;
  let naiveTokens = 0;
  for (const doc of docs) {
    for (const test of doc.tests) {
      const prefix = test.candidateTokens.length + separator.length;
      const available = maxPassTokens - prefix;
      const groups = new Map<number, number[]>();
      for (const position of [...new Set(test.positions)].sort((a, b) => a - b)) {
        const reason = test.candidateTokens.length === 0 ? 'empty_candidate'
          : available < 1 ? 'candidate_too_long'
            : position < 1 || position >= doc.docTokens.length ? 'position_out_of_range' : undefined;
        if (reason) {
          unverifiable.push({ docKey: doc.docKey, chunkId: test.chunkId, position, reason });
          continue;
        }
        const start = contextStart(position, available);
        naiveTokens += prefix + position - start;
        if (grouping === 'naive') {
          groups.set(groups.size, [start, position]);
        } else {
          const g = groups.get(start);
          if (g) g.push(position);
          else groups.set(start, [start, position]);
        }
      }
      for (const [start, ...positions] of groups.values()) {
        const docStart = start as number;
        const docEnd = positions[positions.length - 1] as number;
        const length = prefix + docEnd - docStart;
        forwardedTokens += length;
        passes.push({
          docKey: doc.docKey,
          chunkId: test.chunkId,
          candidateTokens: test.candidateTokens,
          separator,
          docTokens: doc.docTokens,
          docStart,
          docEnd,
          length,
          readouts: positions.map((position) => ({ position, outputIndex: prefix + position - docStart - 1 })),
        });
      }
    }
  }
  return { passes, unverifiable, forwardedTokens, naiveTokens };
}

/** One pass per distinct (candidate, context start), truncated after its last tested position. */
export const planEconomicalPasses = (docs: readonly DocumentTests[], separator: readonly number[], maxPassTokens: number): PassPlan =>
  plan(docs, separator, maxPassTokens, 'economical');

/** The reference method: one pass per (position, candidate) pair. Used to prove equivalence. */
export const planNaivePasses = (docs: readonly DocumentTests[], separator: readonly number[], maxPassTokens: number): PassPlan =>
  plan(docs, separator, maxPassTokens, 'naive');

export interface Measurement {
  readonly docKey: string;
  readonly chunkId: string;
  readonly position: number;
  /** H(x_t | C, x_b..x_{t−1}) in nats. */
  readonly entropyAfter: number;
}

/** Reads every measurement of `passes` from the scorer outputs (same order as the passes). */
export function readMeasurements(passes: readonly VerificationPass[], outputs: readonly (ArrayLike<number>)[]): Measurement[] {
  const out: Measurement[] = [];
  passes.forEach((pass, i) => {
    const values = outputs[i];
    if (!values || values.length < pass.length) {
      throw new RangeError(`scorer returned ${values?.length ?? 0} entropies for a pass of ${pass.length} tokens`);
    }
    for (const r of pass.readouts) {
      out.push({ docKey: pass.docKey, chunkId: pass.chunkId, position: r.position, entropyAfter: values[r.outputIndex] ?? Number.NaN });
    }
  });
  return out;
}
