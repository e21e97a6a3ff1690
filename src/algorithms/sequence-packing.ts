import type { Chunk, Segment } from '../domain/document.ts';

/** Text with its token ids (tokenized on its own). */
export interface TokenizedText {
  readonly text: string;
  readonly tokenIds: readonly number[];
}

export interface Dependency {
  readonly position: number;
  readonly informationGain: number;
}

export interface UnitContext extends TokenizedText {
  readonly chunk: Chunk;
  readonly dependencies: readonly Dependency[];
}

/** One [contexts ; root] unit, contexts already in their final (shuffled) order. */
export interface AssemblyUnit {
  readonly rootDocId: string;
  readonly root: TokenizedText;
  readonly contexts: readonly UnitContext[];
}

export interface PackedPiece {
  readonly segment: Segment;
  /** The piece's original text; when `segment.truncatedTokens` > 0 it no longer matches tokenIds. */
  readonly text: string;
  readonly tokenIds: readonly number[];
}

export interface PackedSequence {
  readonly sequenceId: string;
  readonly pieces: readonly PackedPiece[];
  /** Σ piece tokens + separator tokens between consecutive pieces; ≤ targetTokens. */
  readonly tokenCount: number;
}

export interface PackResult {
  /** Sequences completed by this call, in order. */
  readonly sequences: PackedSequence[];
  /** Set when the unit was not packed. */
  readonly rejected?: 'root_longer_than_target';
  /** Whole contexts removed from the front of an over-long unit. */
  readonly contextsRemoved: number;
  /** Tokens cut from the front of an over-long unit (whole contexts removed included). */
  readonly tokensTruncated: number;
}

export interface PackerOptions {
  readonly targetTokens: number;
  /** Placed between consecutive pieces (contexts, roots) of a sequence. */
  readonly separator: TokenizedText;
  readonly sequenceIdPrefix: string;
}

interface OpenPiece {
  readonly kind: 'context' | 'root';
  readonly docId: string;
  readonly chunkId?: string;
  readonly dependencies?: readonly Dependency[];
  readonly text: string;
  readonly tokenIds: readonly number[];
  readonly truncatedTokens: number;
}

/**
 * Packs units into sequences of at most `targetTokens` tokens (METHOD.md §5):
 * - a sequence is pieces joined by the separator: ctx ; … ; root ; ctx ; … ; root;
 * - units are appended in arrival order; a unit that would overflow closes the open sequence and
 *   starts the next one;
 * - a unit longer than the target on its own is cut from the FRONT of its contexts (whole leading
 *   contexts are removed, then the first remaining one loses its leading tokens) so that it fits;
 *   the root is never cut;
 * - a root longer than the target cannot be placed without cutting it: the unit is rejected
 *   (`root_longer_than_target`) and nothing of it is packed;
 * - a sequence closes as soon as no further piece could fit; `flush()` closes the last one.
 * Sequence ids are `${prefix}-${n}` with n counting from 0 per packer, so the same unit order
 * gives the same ids.
 */
export class SequencePacker {
  private open: OpenPiece[] = [];
  private openTokens = 0;
  private next = 0;

  constructor(private readonly options: PackerOptions) {}

  add(unit: AssemblyUnit): PackResult {
    const target = this.options.targetTokens;
    const sep = this.options.separator.tokenIds.length;
    if (unit.root.tokenIds.length > target) return { sequences: [], rejected: 'root_longer_than_target', contextsRemoved: 0, tokensTruncated: 0 };

    let excess = unit.contexts.reduce((n, c) => n + c.tokenIds.length + sep, 0) + unit.root.tokenIds.length - target;
    const pieces: OpenPiece[] = [];
    let contextsRemoved = 0;
    let tokensTruncated = 0;
    for (const c of unit.contexts) {
      if (excess > 0 && excess >= c.tokenIds.length) {
        excess -= c.tokenIds.length + sep;
        tokensTruncated += c.tokenIds.length + sep;
        contextsRemoved++;
        continue;
      }
      const cut = Math.max(0, excess);
      excess -= cut;
      tokensTruncated += cut;
      pieces.push({ kind: 'context', docId: c.chunk.docId, chunkId: c.chunk.chunkId, dependencies: c.dependencies, text: c.text, tokenIds: cut > 0 ? c.tokenIds.slice(cut) : c.tokenIds, truncatedTokens: cut });
    }
    pieces.push({ kind: 'root', docId: unit.rootDocId, text: unit.root.text, tokenIds: unit.root.tokenIds, truncatedTokens: 0 });
    const unitTokens = pieces.reduce((n, p) => n + p.tokenIds.length, 0) + sep * (pieces.length - 1);

    const sequences: PackedSequence[] = [];
    if (this.open.length > 0 && this.openTokens + sep + unitTokens > target) sequences.push(this.close());
    this.openTokens += (this.open.length > 0 ? sep : 0) + unitTokens;
    this.open.push(...pieces);
    if (this.openTokens + sep + 1 > target) sequences.push(this.close());
    return { sequences, contextsRemoved, tokensTruncated };
  }

  /** Closes the open sequence, if any. */
  flush(): PackedSequence[] {
    return this.open.length > 0 ? [this.close()] : [];
  }

  private close(): PackedSequence {
    const sep = this.options.separator.tokenIds.length;
    let offset = 0;
    const pieces = this.open.map((p, i): PackedPiece => {
      if (i > 0) offset += sep;
      const segment: Segment = {
        kind: p.kind,
        docId: p.docId,
        ...(p.chunkId === undefined ? {} : { chunkId: p.chunkId }),
        ...(p.dependencies === undefined ? {} : { dependencies: p.dependencies }),
        tokenStart: offset,
        tokenEnd: offset + p.tokenIds.length,
        ...(p.truncatedTokens > 0 ? { truncatedTokens: p.truncatedTokens } : {}),
      };
      offset += p.tokenIds.length;
      return { segment, text: p.text, tokenIds: p.tokenIds };
    });
    const sequence: PackedSequence = { sequenceId: `${this.options.sequenceIdPrefix}-${this.next++}`, pieces, tokenCount: offset };
    this.open = [];
    this.openTokens = 0;
    return sequence;
  }
}
