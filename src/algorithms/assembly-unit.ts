import type { Chunk, Verification } from '../domain/document.ts';
import { seededShuffle } from './seeded-random.ts';
import type { AssemblyUnit, Dependency, TokenizedText } from './sequence-packing.ts';

/**
 * Builds the [contexts ; root] unit of one verified document: the kept chunks in a seeded random
 * order that depends only on (seed, root document id), each with the positions it was kept at
 * and the ΔI measured there. `contextTokens` holds each kept chunk's own token ids, by chunkId.
 */
export function buildAssemblyUnit(
  rootDocId: string,
  root: TokenizedText,
  keptChunks: readonly Chunk[],
  verifications: readonly Verification[],
  contextTokens: ReadonlyMap<string, readonly number[]>,
  seed: number,
): AssemblyUnit {
  const dependencies = new Map<string, Dependency[]>();
  for (const v of verifications) {
    if (!v.kept) continue;
    const list = dependencies.get(v.chunkId) ?? [];
    list.push({ position: v.position, informationGain: v.informationGain });
    dependencies.set(v.chunkId, list);
  }
  const contexts = seededShuffle(keptChunks, seed, rootDocId).map((chunk) => {
    const tokenIds = contextTokens.get(chunk.chunkId);
    if (!tokenIds) throw new RangeError(`no token ids for kept chunk ${chunk.chunkId}`);
    const deps = (dependencies.get(chunk.chunkId) ?? []).sort((a, b) => a.position - b.position);
    return { chunk, text: chunk.text, tokenIds, dependencies: deps };
  });
  return { rootDocId, root, contexts };
}
