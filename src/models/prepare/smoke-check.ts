import * as ort from 'onnxruntime-node';
import { UserError } from '../../util/errors.ts';

/**
 * Runs a freshly converted model once on a few tokens (one row, all attended) and checks its
 * output, so a model that does not load or computes nonsense never reaches the manifest.
 * Returns the output's values.
 */
export async function smokeRun(onnxPath: string, tokenIds: readonly number[], output: string, expectDims: readonly number[]): Promise<Float32Array> {
  const fail = (what: string): never => {
    throw new UserError(`converted model ${onnxPath} failed its check: ${what}`);
  };
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: 1 });
  } catch (e) {
    return fail(`ONNX Runtime cannot load it (${(e as Error).message})`);
  }
  try {
    const dims = [1, tokenIds.length];
    const ids = new ort.Tensor('int64', BigInt64Array.from(tokenIds.map(BigInt)), dims);
    const mask = new ort.Tensor('int64', new BigInt64Array(tokenIds.length).fill(1n), dims);
    const res = await session.run({ input_ids: ids, attention_mask: mask }, [output]);
    const t = res[output];
    if (t === undefined || !(t.data instanceof Float32Array)) return fail(`no float output '${output}'`);
    if (t.dims.length !== expectDims.length || t.dims.some((d, i) => d !== expectDims[i])) fail(`output '${output}' has dims [${t.dims.join(', ')}], expected [${expectDims.join(', ')}]`);
    if (!t.data.every(Number.isFinite)) fail(`output '${output}' holds non-finite values`);
    return t.data;
  } finally {
    await session.release();
  }
}
