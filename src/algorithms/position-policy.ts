export interface PositionPolicy {
  readonly threshold: number;
  readonly minPosition: number;
  readonly maxPositions: number;
}

export interface ScoredPosition {
  readonly position: number;
  readonly entropy: number;
}

/**
 * Positions t with H_t > τ and t ≥ max(1, minPosition) (t = 0 has no context to judge). When more
 * than maxPositions qualify, the highest entropies are kept (ties: the earlier position). The
 * result is in position order.
 */
export function selectPositions(entropies: readonly number[], policy: PositionPolicy): ScoredPosition[] {
  const qualified: ScoredPosition[] = [];
  for (let t = Math.max(1, policy.minPosition); t < entropies.length; t++) {
    const entropy = entropies[t] ?? Number.NaN;
    if (entropy > policy.threshold) qualified.push({ position: t, entropy });
  }
  if (qualified.length <= policy.maxPositions) return qualified;
  const strongest = [...qualified]
    .sort((a, b) => b.entropy - a.entropy || a.position - b.position)
    .slice(0, policy.maxPositions);
  return strongest.sort((a, b) => a.position - b.position);
}
