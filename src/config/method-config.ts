import { nonNegativeInt, positive, positiveInt, unitInterval, type Specs, defaultsOf } from './fields.ts';

/** The parameters of the EntropyLong method (METHOD.md). Every number of the method lives here. */
export interface MethodConfig {
  /** τ = μ_H + α·σ_H */
  readonly alpha: number;
  readonly minPosition: number;
  readonly maxPositions: number;
  readonly queryWindow: number;
  readonly topK: number;
  readonly epsilon: number;
  readonly chunkMaxChars: number;
  readonly nearDuplicateThreshold: number;
  readonly targetTokens: number;
  readonly minDependencies: number;
  readonly seed: number;
  readonly scoringWindow: number;
  readonly scoringStride: number;
  readonly verifyWindow: number;
  readonly contextSeparator: string;
}

export const methodConfigSpecs: Specs<MethodConfig> = {
  alpha: { default: 2.0, source: 'paper', description: 'threshold τ = μ + α·σ over the document\'s own entropies', check: (v) => (Number.isFinite(v) ? undefined : 'must be a number') },
  minPosition: { default: 32, source: 'ours', description: 'skip positions before this token index (no context yet to judge)', check: nonNegativeInt },
  maxPositions: { default: 512, source: 'ours', description: 'cap on selected positions per document, highest entropy kept', check: positiveInt },
  queryWindow: { default: 16, source: 'paper', description: 'w: the retrieval query is tokens t−w … t+w', check: nonNegativeInt },
  topK: { default: 32, source: 'ours', description: 'K: chunks retrieved per position', check: positiveInt },
  epsilon: { default: 0.4, source: 'paper', description: 'ε: keep a chunk when ΔI = (H_before − H_after)/H_before > ε', check: unitInterval },
  chunkMaxChars: { default: 2048, source: 'ours', description: 'maximum characters per retrieval chunk (paragraph-aligned)', check: positiveInt },
  nearDuplicateThreshold: { default: 0.98, source: 'ours', description: 'cosine similarity above which two candidate chunks are collapsed', check: positive },
  targetTokens: { default: 131072, source: 'paper', description: 'tokens per assembled sequence (128K)', check: positiveInt },
  minDependencies: { default: 0, source: 'ours', description: 'drop a document with fewer verified contexts than this (0 keeps all)', check: nonNegativeInt },
  seed: { default: 1, source: 'ours', description: 'seed of the context shuffle (a replay reproduces the order)', check: nonNegativeInt },
  scoringWindow: { default: 2048, source: 'ours', description: 'tokens per scoring forward pass (≤ the model\'s context)', check: positiveInt },
  scoringStride: { default: 1024, source: 'ours', description: 'stride of overlapping scoring windows (≤ window/2)', check: positiveInt },
  verifyWindow: { default: 2048, source: 'ours', description: 'tokens per verification pass [candidate ; separator ; document prefix] (capped by the model\'s context); positions further in see the candidate with ≥ half this window of document context', check: positiveInt },
  contextSeparator: { default: '\n\n', source: 'ours', description: 'text placed between a context and what follows it, in verification passes and in assembled sequences', check: (v) => (typeof v === 'string' ? undefined : 'must be a string') },
};

export const defaultMethodConfig: MethodConfig = defaultsOf(methodConfigSpecs);
