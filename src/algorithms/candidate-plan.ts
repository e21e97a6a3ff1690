import type { Candidate, Chunk } from '../domain/document.ts';

/** One retrieved chunk for one position, as the vector index returned it. */
export interface RetrievedHit {
  readonly chunkId: string;
  readonly docId: string;
  readonly text: string;
  readonly score: number;
}

export interface PositionHits {
  readonly position: number;
  readonly hits: readonly RetrievedHit[];
}

export interface CandidatePlan {
  /** Sorted by position, then similarity descending, then chunkId. */
  readonly candidates: Candidate[];
  /** Distinct chunks kept as representatives. */
  readonly distinctChunks: number;
  /** Hits dropped because they came from the root document itself. */
  readonly ownDocumentHits: number;
  /** Distinct chunks folded into another representative as near duplicates. */
  readonly collapsedDuplicates: number;
}

/** Lower case, whitespace runs → one space, trimmed: the text identity used for exact duplicates. */
export const normaliseChunkText = (text: string): string => text.toLowerCase().replace(/\s+/gu, ' ').trim();

const dot = (a: Float32Array, b: Float32Array): number => {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
};

interface Distinct {
  readonly chunk: Chunk;
  best: number;
  readonly scoreAt: Map<number, number>;
}

/**
 * Candidate planning for one root document: the union of the hits over its positions.
 *
 * - A chunk of the root document itself is never a candidate.
 * - A chunk retrieved for several positions is one distinct candidate tested at each of them.
 * - Near duplicates are collapsed: two chunks are duplicates when their normalised text is equal,
 *   or when both were retrieved for the same position and their embeddings' cosine (inner
 *   product of unit vectors) is > `nearDuplicateThreshold`. Duplicates are grouped transitively
 *   (connected components); each group keeps one representative — the highest best score, ties by
 *   chunkId — which inherits every position of the group with the best similarity per position.
 *   Restricting the cosine test to co-retrieved chunks keeps the work at positions × K² instead
 *   of quadratic in all distinct chunks; near duplicates score alike and are co-retrieved.
 * - `vectors` may lack a chunk (then only its text identity is tested).
 */
export function planCandidates(
  rootDocId: string,
  positions: readonly PositionHits[],
  vectors: ReadonlyMap<string, Float32Array>,
  nearDuplicateThreshold: number,
): CandidatePlan {
  const distinct = new Map<string, Distinct>();
  let ownDocumentHits = 0;
  for (const { position, hits } of positions) {
    for (const hit of hits) {
      if (hit.docId === rootDocId) {
        ownDocumentHits++;
        continue;
      }
      let d = distinct.get(hit.chunkId);
      if (!d) {
        d = { chunk: { chunkId: hit.chunkId, docId: hit.docId, text: hit.text }, best: hit.score, scoreAt: new Map() };
        distinct.set(hit.chunkId, d);
      }
      d.best = Math.max(d.best, hit.score);
      d.scoreAt.set(position, Math.max(d.scoreAt.get(position) ?? -Infinity, hit.score));
    }
  }

  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    let cur = id;
    while (cur !== root) {
      const next = parent.get(cur) ?? root;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const id of distinct.keys()) parent.set(id, id);

  const byText = new Map<string, string>();
  for (const [id, d] of distinct) {
    const key = normaliseChunkText(d.chunk.text);
    const seen = byText.get(key);
    if (seen === undefined) byText.set(key, id);
    else union(seen, id);
  }
  for (const { hits } of positions) {
    const ids = [...new Set(hits.filter((h) => h.docId !== rootDocId).map((h) => h.chunkId))];
    for (let i = 0; i < ids.length; i++) {
      const va = vectors.get(ids[i] as string);
      if (!va) continue;
      for (let j = i + 1; j < ids.length; j++) {
        const vb = vectors.get(ids[j] as string);
        if (vb && dot(va, vb) > nearDuplicateThreshold) union(ids[i] as string, ids[j] as string);
      }
    }
  }

  const groups = new Map<string, Distinct[]>();
  for (const [id, d] of distinct) {
    const root = find(id);
    const g = groups.get(root);
    if (g) g.push(d);
    else groups.set(root, [d]);
  }

  const candidates: Candidate[] = [];
  for (const members of groups.values()) {
    members.sort((a, b) => b.best - a.best || (a.chunk.chunkId < b.chunk.chunkId ? -1 : a.chunk.chunkId > b.chunk.chunkId ? 1 : 0));
    const representative = (members[0] as Distinct).chunk;
    const scoreAt = new Map<number, number>();
    for (const m of members) for (const [p, s] of m.scoreAt) scoreAt.set(p, Math.max(scoreAt.get(p) ?? -Infinity, s));
    for (const [position, similarity] of scoreAt) candidates.push({ position, chunk: representative, similarity });
  }
  candidates.sort((a, b) => a.position - b.position || b.similarity - a.similarity || (a.chunk.chunkId < b.chunk.chunkId ? -1 : a.chunk.chunkId > b.chunk.chunkId ? 1 : 0));
  return { candidates, distinctChunks: groups.size, ownDocumentHits, collapsedDuplicates: distinct.size - groups.size };
}
