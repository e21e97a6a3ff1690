import type { Candidate, Chunk, Verification } from '../domain/document.ts';
import { decideInformationGain } from './information-gain.ts';

export const pairKey = (chunkId: string, position: number): string => `${chunkId}\u0000${position}`;

export interface VerificationDecisions {
  /** One per measured pair, in candidate order. */
  readonly verifications: Verification[];
  /** Chunks kept at ≥ 1 position, in the candidate order of their first kept pair. */
  readonly keptChunks: Chunk[];
}

/**
 * ΔI decisions for a document. `entropiesBefore[t]` = H(x_t | x_<t) from scoring; `entropyAfter`
 * maps pairKey(chunkId, t) to H(x_t | C, x_<t). A candidate pair without a measurement (it could
 * not be verified) yields no verification and is never kept.
 */
export function decideVerifications(
  candidates: readonly Candidate[],
  entropiesBefore: readonly number[],
  entropyAfter: ReadonlyMap<string, number>,
  epsilon: number,
): VerificationDecisions {
  const verifications: Verification[] = [];
  const kept = new Map<string, Chunk>();
  for (const c of candidates) {
    const after = entropyAfter.get(pairKey(c.chunk.chunkId, c.position));
    if (after === undefined) continue;
    const before = entropiesBefore[c.position] ?? Number.NaN;
    const decision = decideInformationGain(before, after, epsilon);
    verifications.push({ position: c.position, chunkId: c.chunk.chunkId, entropyBefore: before, entropyAfter: after, informationGain: decision.informationGain, kept: decision.kept });
    if (decision.kept && !kept.has(c.chunk.chunkId)) kept.set(c.chunk.chunkId, c.chunk);
  }
  return { verifications, keptChunks: [...kept.values()] };
}
