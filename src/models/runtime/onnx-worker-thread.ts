/**
 * Worker-thread side of `OnnxWorkerPool`: owns ONNX Runtime sessions by name and answers one
 * request at a time in arrival order. Loaded through worker-bootstrap.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { FeedTensor, OutputTensor, WorkerInit, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('onnx-worker-thread.ts must run in a worker thread');

const sessions = new Map<string, ort.InferenceSession>();

const sessionOptions = (): ort.InferenceSession.SessionOptions => {
  const o = init.options;
  const providers: ort.InferenceSession.ExecutionProviderConfig[] =
    o.executionProvider === 'cuda' ? [{ name: 'cuda', deviceId: o.deviceId }, 'cpu'] : ['cpu'];
  return {
    executionProviders: providers,
    intraOpNumThreads: o.intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  };
};

const toOrt = (name: string, f: FeedTensor): ort.Tensor => {
  const dims = [...f.dims];
  const expected = dims.reduce((a, b) => a * b, 1);
  if (f.data.length !== expected) throw new Error(`feed '${name}': ${f.data.length} values for dims [${dims.join(', ')}]`);
  if (f.type === 'int64') {
    if (f.data instanceof BigInt64Array) return new ort.Tensor('int64', f.data, dims);
    const wide = new BigInt64Array(f.data.length);
    for (let i = 0; i < f.data.length; i++) wide[i] = BigInt(f.data[i] as number);
    return new ort.Tensor('int64', wide, dims);
  }
  if (f.type === 'int32' && f.data instanceof Int32Array) return new ort.Tensor('int32', f.data, dims);
  if (f.type === 'float32' && f.data instanceof Float32Array) return new ort.Tensor('float32', f.data, dims);
  throw new Error(`feed '${name}': type ${f.type} does not match its ${f.data.constructor.name}`);
};

const ownedBuffer = <T extends Float32Array | Int32Array | BigInt64Array>(a: T): T =>
  a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer ? a : (a.slice() as T);

async function handle(req: WorkerRequest): Promise<{ res: WorkerResponse; transfer: ArrayBuffer[] }> {
  switch (req.kind) {
    case 'load': {
      const previous = sessions.get(req.name);
      if (previous !== undefined) await previous.release();
      const s = await ort.InferenceSession.create(req.modelPath, sessionOptions());
      sessions.set(req.name, s);
      return { res: { reqId: req.reqId, ok: true, session: { inputNames: s.inputNames, outputNames: s.outputNames } }, transfer: [] };
    }
    case 'unload': {
      const s = sessions.get(req.name);
      sessions.delete(req.name);
      if (s !== undefined) await s.release();
      return { res: { reqId: req.reqId, ok: true }, transfer: [] };
    }
    case 'run': {
      const s = sessions.get(req.name);
      if (s === undefined) throw new Error(`no session named '${req.name}' is loaded in this worker`);
      const feeds: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(req.feeds)) feeds[k] = toOrt(k, v);
      const results = await s.run(feeds, [...req.outputs]);
      const outputs: Record<string, OutputTensor> = {};
      const transfer: ArrayBuffer[] = [];
      for (const name of req.outputs) {
        const t = results[name];
        if (t === undefined) throw new Error(`session '${req.name}' returned no output '${name}'`);
        const raw = t.data;
        if (!(raw instanceof Float32Array || raw instanceof Int32Array || raw instanceof BigInt64Array)) {
          throw new Error(`session '${req.name}' output '${name}' has type ${t.type}, which this worker does not return`);
        }
        const data = ownedBuffer(raw);
        outputs[name] = { type: t.type, data, dims: [...t.dims] };
        transfer.push(data.buffer as ArrayBuffer);
      }
      return { res: { reqId: req.reqId, ok: true, outputs }, transfer };
    }
  }
}

// One request at a time: concurrent runs would share (and oversubscribe) the intra-op threads.
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  queue = queue.then(() => handle(req)).then(
    ({ res, transfer }) => port.postMessage(res, transfer),
    (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      port.postMessage({ reqId: req.reqId, ok: false, error: { message, retriable: false } } satisfies WorkerResponse);
    },
  );
});
