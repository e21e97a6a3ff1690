export interface GainDecision {
  /** ΔI = (before − after) / before; 0 when before ≤ 0 (nothing to explain). */
  readonly informationGain: number;
  readonly kept: boolean;
}

/**
 * Relative entropy reduction at one position. Kept when ΔI is strictly greater than ε. A position
 * whose entropy before is ≤ 0 (or not a number) is never kept: there is no uncertainty to reduce.
 */
export function decideInformationGain(entropyBefore: number, entropyAfter: number, epsilon: number): GainDecision {
  if (!(entropyBefore > 0) || !Number.isFinite(entropyAfter)) return { informationGain: 0, kept: false };
  const informationGain = (entropyBefore - entropyAfter) / entropyBefore;
  return { informationGain, kept: informationGain > epsilon };
}
