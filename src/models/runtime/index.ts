export { OnnxScorer } from './onnx-scorer.ts';
export type { OnnxScorerOptions } from './onnx-scorer-options.ts';
export { OnnxWorkerPool, OnnxWorkerError, type OnnxWorkerPoolOptions, type FeedTensor, type OutputTensor, type SessionInfo, type ExecutionProvider } from './onnx-worker.ts';
export { assertExecutionProviderAvailable, executionProviders } from './execution-provider.ts';
export { planWindows, type ScoringWindow } from './sliding-windows.ts';
export { planBatches } from './batch-plan.ts';
export { findPreparedScorer, type PreparedScorer } from './prepared-scorer.ts';
