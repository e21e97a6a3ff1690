/** A root document as it arrives: the fields a FineWeb / FineWeb-Edu record carries. */
export interface RawDocument {
  readonly id: string;
  readonly text: string;
  readonly url?: string | null;
  readonly date?: string | null;
  readonly dump?: string | null;
  /** FineWeb's source WARC path (`file_path`). */
  readonly filePath?: string | null;
  readonly language?: string | null;
  readonly languageScore?: number | null;
  /** FineWeb-Edu's educational score (float) and its rounded integer (`int_score`). */
  readonly score?: number | null;
  readonly intScore?: number | null;
  readonly tokenCount?: number | null;
}

/** A document after scoring: its token ids and the model's predictive entropy (nats) per token. */
export interface ScoredDocument {
  readonly doc: RawDocument;
  readonly tokenIds: readonly number[];
  /** entropies[t] = H(x_t | x_<t); entropies[0] is the entropy of the first prediction. */
  readonly entropies: readonly number[];
  readonly model: string;
}

/** A selected high-entropy position t with its entropy and the retrieval query window text. */
export interface SelectedPosition {
  readonly position: number;
  readonly entropy: number;
  readonly queryTokenStart: number;
  readonly queryTokenEnd: number;
  readonly queryText: string;
}

export interface SelectedDocument {
  readonly scored: ScoredDocument;
  readonly threshold: number;
  readonly meanEntropy: number;
  readonly stdEntropy: number;
  readonly positions: readonly SelectedPosition[];
}

/** A chunk of another document in the retrieval pool. */
export interface Chunk {
  readonly chunkId: string;
  readonly docId: string;
  readonly text: string;
}

/** A retrieved chunk for one position, with its similarity score. */
export interface Candidate {
  readonly position: number;
  readonly chunk: Chunk;
  readonly similarity: number;
}

export interface RetrievedDocument {
  readonly selected: SelectedDocument;
  readonly candidates: readonly Candidate[];
}

/** The verifier's measurement for one (position, chunk) pair. */
export interface Verification {
  readonly position: number;
  readonly chunkId: string;
  readonly entropyBefore: number;
  readonly entropyAfter: number;
  /** ΔI = (before − after) / before. */
  readonly informationGain: number;
  readonly kept: boolean;
}

export interface VerifiedDocument {
  readonly selected: SelectedDocument;
  /** Chunks kept (ΔI > ε for at least one position), in first-kept order. */
  readonly keptChunks: readonly Chunk[];
  readonly verifications: readonly Verification[];
  readonly forwardedTokens: number;
  readonly naiveTokens: number;
}

/** One piece of an assembled sequence, with where it came from. */
export interface Segment {
  readonly kind: 'context' | 'root';
  readonly docId: string;
  readonly chunkId?: string;
  /** Root positions this context was verified at, with the ΔI measured there. */
  readonly dependencies?: readonly { readonly position: number; readonly informationGain: number }[];
  readonly tokenStart: number;
  readonly tokenEnd: number;
  readonly truncatedTokens?: number;
}

export interface AssembledSequence {
  readonly sequenceId: string;
  readonly text: string;
  readonly tokenCount: number;
  readonly tokenIds?: readonly number[];
  readonly segments: readonly Segment[];
}
