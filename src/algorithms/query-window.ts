/** A half-open token range [start, end) of a document. */
export interface TokenRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The retrieval query around position t: tokens t−w … t+w inclusive, clamped to the document of
 * `length` tokens. It includes the target token and what follows it; it is for retrieval only.
 */
export function queryWindow(position: number, halfWidth: number, length: number): TokenRange {
  return {
    start: Math.max(0, position - halfWidth),
    end: Math.min(length, position + halfWidth + 1),
  };
}
