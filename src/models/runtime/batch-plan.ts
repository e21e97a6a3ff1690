/**
 * Groups rows (token spans) into forward passes. Rows are sorted by length, longest first, so rows
 * of similar length share a pass and padding stays small; a pass holds at most `maxRows` rows and at
 * most `maxTokens` padded tokens (rows × its longest row), but always at least one row.
 */
export interface RowRef {
  readonly length: number;
}

export function planBatches<T extends RowRef>(rows: readonly T[], maxRows: number, maxTokens: number): T[][] {
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`planBatches: maxRows must be a positive integer, got ${maxRows}`);
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new RangeError(`planBatches: maxTokens must be a positive integer, got ${maxTokens}`);
  const sorted = [...rows].sort((a, b) => b.length - a.length);
  const batches: T[][] = [];
  let current: T[] = [];
  let longest = 0;
  for (const row of sorted) {
    if (row.length === 0) continue;
    const width = Math.max(longest, row.length);
    if (current.length > 0 && (current.length + 1 > maxRows || (current.length + 1) * width > maxTokens)) {
      batches.push(current);
      current = [];
    }
    if (current.length === 0) longest = row.length;
    current.push(row);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
