/**
 * Human quantities in topic files: durations ("7d", "12h", "30m", "45s", "500ms", "infinite")
 * and sizes ("8MiB", "512KiB", "1000000"). Each parser returns a number or a reason it cannot.
 */

const durationUnits: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const sizeUnits: Readonly<Record<string, number>> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3 };

export type Parsed = { readonly value: number } | { readonly problem: string };

/** Milliseconds; `infinite` (or -1) is Kafka's "keep forever", -1. */
export function parseDuration(input: unknown): Parsed {
  if (input === 'infinite' || input === -1) return { value: -1 };
  if (typeof input === 'number') return Number.isInteger(input) && input > 0 ? { value: input } : { problem: `must be a positive integer of milliseconds, a duration like '7d', or 'infinite' (got ${input})` };
  if (typeof input !== 'string') return { problem: `must be a duration like '7d', '12h', '500ms' or 'infinite' (got ${JSON.stringify(input)})` };
  const m = /^\s*(\d+)\s*(ms|s|m|h|d|w)\s*$/.exec(input);
  const unit = m?.[2] === undefined ? undefined : durationUnits[m[2]];
  if (!m || unit === undefined || Number(m[1]) <= 0) return { problem: `must be a duration like '7d', '12h', '500ms' or 'infinite' (got '${input}')` };
  return { value: Number(m[1]) * unit };
}

/** Bytes. */
export function parseSize(input: unknown): Parsed {
  if (typeof input === 'number') return Number.isInteger(input) && input > 0 ? { value: input } : { problem: `must be a positive integer of bytes or a size like '8MiB' (got ${input})` };
  if (typeof input !== 'string') return { problem: `must be a size like '8MiB' or a number of bytes (got ${JSON.stringify(input)})` };
  const m = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(input);
  const unit = m?.[2] === undefined ? undefined : sizeUnits[m[2].toLowerCase()];
  if (!m || unit === undefined || Number(m[1]) <= 0) return { problem: `must be a size like '8MiB', '512KiB' or a number of bytes (got '${input}')` };
  const value = Number(m[1]) * unit;
  return value <= 2 ** 31 - 1 ? { value } : { problem: `must be below 2 GiB (got '${input}')` };
}
