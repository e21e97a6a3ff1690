/** Mean and population standard deviation of a document's entropies. */
export interface EntropyStatistics {
  readonly mean: number;
  readonly std: number;
  /** How many entropies entered the statistics (positions t ≥ 1). */
  readonly count: number;
}

/**
 * Statistics over t ≥ 1 only: entropies[0] is the first prediction, made with no context, and
 * would inflate σ for every document. A document with fewer than two tokens has count 0, mean 0
 * and std 0.
 */
export function entropyStatistics(entropies: readonly number[]): EntropyStatistics {
  const count = Math.max(0, entropies.length - 1);
  if (count === 0) return { mean: 0, std: 0, count: 0 };
  let sum = 0;
  for (let t = 1; t < entropies.length; t++) sum += entropies[t] ?? 0;
  const mean = sum / count;
  let squares = 0;
  for (let t = 1; t < entropies.length; t++) {
    const d = (entropies[t] ?? 0) - mean;
    squares += d * d;
  }
  return { mean, std: Math.sqrt(squares / count), count };
}

/** τ = μ + α·σ. */
export const adaptiveThreshold = (stats: EntropyStatistics, alpha: number): number => stats.mean + alpha * stats.std;
