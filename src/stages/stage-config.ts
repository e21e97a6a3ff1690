import { positiveInt, nonNegativeInt, type Specs, defaultsOf } from '../config/fields.ts';

/**
 * How the stages run (batching, concurrency, naming): none of it changes what the method
 * computes, only how fast and in which groups. Method parameters live in MethodConfig.
 */
export interface StageConfig {
  readonly collection: string;
  readonly batchWaitMs: number;
  readonly scoreDocumentsPerBatch: number;
  readonly scoreBatchTokens: number;
  readonly selectConcurrency: number;
  readonly retrieveDocumentsPerBatch: number;
  readonly embedBatchSize: number;
  readonly verifyDocumentsPerBatch: number;
  readonly verifyBatchTokens: number;
  readonly verifyBatchSequences: number;
  readonly modelConcurrency: number;
  readonly includeTokenIds: boolean;
  readonly sequenceIdPrefix: string;
}

const nonEmpty = (v: string): string | undefined => (v.trim().length > 0 ? undefined : 'must not be empty');

export const stageConfigSpecs: Specs<StageConfig> = {
  collection: { default: 'entropylong_chunks', description: 'vector collection holding the retrieval corpus', check: nonEmpty },
  batchWaitMs: { default: 0, description: 'longest wait (ms) to fill a cross-document batch before it is sent anyway; 0 cuts batches by size only (and at end of input), so batch composition depends on input order alone: reproducible output; live streams want e.g. 20', check: nonNegativeInt },
  scoreDocumentsPerBatch: { default: 8, description: 'documents per scoring batch (documents of a batch share scorer calls)', check: positiveInt },
  scoreBatchTokens: { default: 16384, description: 'padded tokens (sequences × longest) per scorer call when scoring', check: positiveInt },
  selectConcurrency: { default: 4, description: 'documents whose query windows are detokenized at once', check: positiveInt },
  retrieveDocumentsPerBatch: { default: 8, description: 'documents whose query windows share embedder calls', check: positiveInt },
  embedBatchSize: { default: 64, description: 'texts per embedder call (query windows, corpus chunks)', check: positiveInt },
  verifyDocumentsPerBatch: { default: 4, description: 'documents whose verification passes are batched together', check: positiveInt },
  verifyBatchTokens: { default: 16384, description: 'padded tokens (passes × longest) per scorer call when verifying', check: positiveInt },
  verifyBatchSequences: { default: 16, description: 'passes per scorer call when verifying', check: positiveInt },
  modelConcurrency: { default: 2, description: 'batches in flight per model stage', check: positiveInt },
  includeTokenIds: { default: false, description: 'put the token ids of each assembled sequence in the output' },
  sequenceIdPrefix: { default: 'seq', description: 'prefix of assembled sequence ids (`<prefix>-<n>`)', check: nonEmpty },
};

export const defaultStageConfig: StageConfig = defaultsOf(stageConfigSpecs);

/**
 * With size-only batching (batchWaitMs 0) partial batches wait for more documents: a paced source
 * must allow more documents in flight than the partial batches can hold together, Σ (size − 1),
 * or the run stops. This returns a limit that keeps every stage's batches full: twice the sum.
 */
export const pacedInFlightLimit = (stage: StageConfig): number =>
  2 * (stage.scoreDocumentsPerBatch + stage.retrieveDocumentsPerBatch + stage.verifyDocumentsPerBatch);
