/** Messages between `OnnxWorkerPool` (main thread) and `onnx-worker-thread.ts`. Typed arrays travel by transfer. */

export type ExecutionProvider = 'cpu' | 'cuda';

export interface WorkerSessionOptions {
  /** ONNX Runtime intra-op threads per worker (0 = ONNX Runtime decides). */
  readonly intraOpThreads: number;
  readonly executionProvider: ExecutionProvider;
  /** CUDA device when executionProvider is 'cuda'. */
  readonly deviceId: number;
}

/** int64 inputs may be sent as Int32Array (halving the copy); the worker widens them. */
export interface FeedTensor {
  readonly type: 'int64' | 'int32' | 'float32';
  readonly data: Int32Array | BigInt64Array | Float32Array;
  readonly dims: readonly number[];
}

export interface OutputTensor {
  readonly type: string;
  readonly data: Float32Array | Int32Array | BigInt64Array;
  readonly dims: readonly number[];
}

export interface SessionInfo {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

export type WorkerRequest =
  | { readonly kind: 'load'; readonly reqId: number; readonly name: string; readonly modelPath: string }
  | { readonly kind: 'run'; readonly reqId: number; readonly name: string; readonly feeds: Readonly<Record<string, FeedTensor>>; readonly outputs: readonly string[] }
  | { readonly kind: 'unload'; readonly reqId: number; readonly name: string };

export type WorkerResponse =
  | { readonly reqId: number; readonly ok: true; readonly session?: SessionInfo; readonly outputs?: Readonly<Record<string, OutputTensor>> }
  | { readonly reqId: number; readonly ok: false; readonly error: { readonly message: string; readonly retriable: boolean } };

export interface WorkerInit {
  readonly entry: string;
  readonly options: WorkerSessionOptions;
}
