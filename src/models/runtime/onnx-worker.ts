/**
 * OnnxWorkerPool — ONNX Runtime sessions that run off the event loop, in worker threads.
 *
 *   const pool = await OnnxWorkerPool.start({ workers: 1, intraOpThreads: 2, executionProvider: 'cpu' });
 *   const info = await pool.load('decoder', '/models/smollm2/decoder.onnx');   // on every worker
 *   const out = await pool.run('decoder',
 *     { input_ids: { type: 'int64', data: Int32Array.from(ids), dims: [1, ids.length] } },
 *     ['entropy']);                                                             // → { entropy: { type, data, dims } }
 *   await pool.close();
 *
 * Contract:
 * - Each worker holds its own copy of every loaded session; `run` goes to the worker with the fewest
 *   requests in flight. A worker handles one request at a time, in arrival order.
 * - Feed and output typed arrays move by transfer: after `run`, the feed arrays are detached (empty)
 *   in the caller. int64 feeds may be given as Int32Array; the worker widens them.
 * - `executionProvider` is checked before any worker starts ('cuda' without its provider library is
 *   a UserError naming what is missing). A session that fails to load or run rejects with an
 *   OnnxWorkerError (not retriable) naming the session and the cause; a worker that dies rejects
 *   everything in flight on it with a retriable OnnxWorkerError, and the pool becomes unusable.
 */
import { Worker } from 'node:worker_threads';
import { EntropyLongError } from '../../util/errors.ts';
import { assertExecutionProviderAvailable } from './execution-provider.ts';
import type { FeedTensor, OutputTensor, SessionInfo, WorkerInit, WorkerRequest, WorkerResponse, WorkerSessionOptions } from './worker-protocol.ts';

export type { ExecutionProvider, FeedTensor, OutputTensor, SessionInfo } from './worker-protocol.ts';

export class OnnxWorkerError extends EntropyLongError {}

type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'reqId'> : never) : never;

export interface OnnxWorkerPoolOptions {
  /** Worker threads, each with its own sessions. @default 1 */
  readonly workers?: number;
  /** ONNX Runtime intra-op threads per worker. @default 0 (ONNX Runtime's choice: one per core) */
  readonly intraOpThreads?: number;
  /** @default 'cpu' */
  readonly executionProvider?: string;
  /** @default 0 */
  readonly deviceId?: number;
}

interface Pending {
  readonly resolve: (r: WorkerResponse & { ok: true }) => void;
  readonly reject: (e: Error) => void;
  readonly what: string;
}

class WorkerHandle {
  inFlight = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (res: WorkerResponse) => {
      const p = this.pending.get(res.reqId);
      if (p === undefined) return;
      this.pending.delete(res.reqId);
      this.inFlight--;
      if (res.ok) p.resolve(res);
      else p.reject(new OnnxWorkerError(`${p.what}: ${res.error.message}`, { retriable: res.error.retriable }));
    });
    worker.on('error', (e) => this.fail(new OnnxWorkerError(`ONNX worker thread failed: ${e.message}`, { retriable: true, cause: e })));
    worker.on('exit', (code) => this.fail(new OnnxWorkerError(`ONNX worker thread exited (code ${code})`, { retriable: true })));
  }

  request(req: RequestBody, what: string, transfer: ArrayBuffer[] = []): Promise<WorkerResponse & { ok: true }> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const reqId = this.nextId++;
    this.inFlight++;
    return new Promise((resolve, reject) => {
      this.pending.set(reqId, { resolve, reject, what });
      this.worker.postMessage({ ...req, reqId } as WorkerRequest, transfer);
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.inFlight = 0;
  }
}

export class OnnxWorkerPool {
  private closed = false;

  private constructor(private readonly handles: readonly WorkerHandle[]) {}

  static async start(options: OnnxWorkerPoolOptions = {}): Promise<OnnxWorkerPool> {
    const provider = options.executionProvider ?? 'cpu';
    assertExecutionProviderAvailable(provider);
    const workers = options.workers ?? 1;
    if (!Number.isInteger(workers) || workers < 1) throw new OnnxWorkerError(`OnnxWorkerPool: workers must be a positive integer, got ${workers}`);
    const intra = options.intraOpThreads ?? 0;
    if (!Number.isInteger(intra) || intra < 0) throw new OnnxWorkerError(`OnnxWorkerPool: intraOpThreads must be a non-negative integer, got ${intra}`);
    const sessionOptions: WorkerSessionOptions = { intraOpThreads: intra, executionProvider: provider, deviceId: options.deviceId ?? 0 };
    const init: WorkerInit = { entry: new URL('./onnx-worker-thread.ts', import.meta.url).href, options: sessionOptions };
    const handles = Array.from({ length: workers }, () => new WorkerHandle(new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), { workerData: init })));
    return new OnnxWorkerPool(handles);
  }

  get size(): number {
    return this.handles.length;
  }

  /** Loads (or replaces) session `name` from `modelPath` on every worker. */
  async load(name: string, modelPath: string): Promise<SessionInfo> {
    this.assertOpen();
    const results = await Promise.all(
      this.handles.map((h) => h.request({ kind: 'load', name, modelPath }, `loading ONNX model '${name}' from ${modelPath}`)),
    );
    const info = results[0]?.session;
    if (info === undefined) throw new OnnxWorkerError(`loading ONNX model '${name}' from ${modelPath}: the worker sent no session info`);
    return info;
  }

  async run(name: string, feeds: Readonly<Record<string, FeedTensor>>, outputs: readonly string[]): Promise<Record<string, OutputTensor>> {
    this.assertOpen();
    const handle = this.handles.reduce((best, h) => (h.inFlight < best.inFlight ? h : best));
    const transfer = Object.values(feeds).map((f) => f.data.buffer as ArrayBuffer);
    const res = await handle.request({ kind: 'run', name, feeds, outputs }, `running ONNX model '${name}'`, [...new Set(transfer)]);
    if (res.outputs === undefined) throw new OnnxWorkerError(`running ONNX model '${name}': the worker sent no outputs`);
    return { ...res.outputs };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
  }

  private assertOpen(): void {
    if (this.closed) throw new OnnxWorkerError('OnnxWorkerPool is closed');
  }
}
