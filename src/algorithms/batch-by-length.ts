export interface Sized {
  readonly length: number;
}

/**
 * Groups items into batches of similar length for padded forward passes: items are sorted by
 * length (longest first; equal lengths keep their input order) and cut greedily so that a batch
 * holds at most `maxBatchItems` items and its padded size (items × longest) stays within
 * `maxBatchTokens`. An item longer than `maxBatchTokens` forms a batch of its own. Returns the
 * input indices of each batch; every index appears exactly once.
 */
export function batchByLength(items: readonly Sized[], maxBatchTokens: number, maxBatchItems: number): number[][] {
  const order = items.map((_, i) => i).sort((a, b) => (items[b]?.length ?? 0) - (items[a]?.length ?? 0) || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  let longest = 0;
  for (const i of order) {
    const length = items[i]?.length ?? 0;
    const nextLongest = Math.max(longest, length);
    if (current.length > 0 && (current.length >= maxBatchItems || (current.length + 1) * nextLongest > maxBatchTokens)) {
      batches.push(current);
      current = [];
      longest = 0;
    }
    current.push(i);
    longest = Math.max(longest, length);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
