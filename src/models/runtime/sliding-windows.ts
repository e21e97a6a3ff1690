/**
 * Overlapping windows over a sequence of n tokens, for a model that takes at most `window` tokens.
 * Window k covers [k·stride, min(n, k·stride + window)). Each position is owned by the earliest
 * window that contains it — the one giving it the most left context — so every position at or past
 * `window` has at least window − stride ≥ window/2 tokens of left context. Owned ranges partition
 * [0, n) in order. A sequence of n ≤ window tokens is one window.
 */
export interface ScoringWindow {
  /** First token of the window. */
  readonly start: number;
  /** One past the last token of the window. */
  readonly end: number;
  /** Positions [ownFrom, ownTo) of the sequence take their value from this window. */
  readonly ownFrom: number;
  readonly ownTo: number;
}

export function planWindows(n: number, window: number, stride: number): ScoringWindow[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`planWindows: sequence length must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`planWindows: window must be an integer ≥ 2, got ${window}`);
  if (!Number.isInteger(stride) || stride < 1 || stride * 2 > window) {
    throw new RangeError(`planWindows: stride must be an integer in [1, window/2 = ${Math.floor(window / 2)}], got ${stride}`);
  }
  const out: ScoringWindow[] = [];
  let owned = 0;
  for (let start = 0; owned < n; start += stride) {
    const end = Math.min(n, start + window);
    out.push({ start, end, ownFrom: owned, ownTo: end });
    owned = end;
  }
  return out;
}
