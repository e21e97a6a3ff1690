import { copyFile, link, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { EntropyLongError } from '../util/errors.ts';
import { GraphBuilder } from './onnx/graph-builder.ts';
import { writeProtoFile } from './onnx/model-writer.ts';
import { parseModel } from './onnx/model-reader.ts';
import { tensorProto } from './onnx/onnx-messages.ts';
import { F, ELEM_TYPE_CODE } from './onnx/onnx-types.ts';
import { ProtoMessage } from './onnx/protobuf-writer.ts';
import { appendEntropyHead } from './entropy-head.ts';

export interface WrapOptions {
  /** Keep the decoder's logits as a second output. @default false */
  withLogits?: boolean;
  /** Name of the decoder's logits output. @default 'logits' */
  logitsOutput?: string;
}

export interface WrapResult {
  inputs: string[];
  outputs: string[];
  vocabSize: number | undefined;
  opset: number;
  /** External data files copied (or linked) next to the output model. */
  externalDataFiles: string[];
}

const MAX_MODEL_BYTES = 2 ** 31 - 1;
const ALLOWED_INPUTS = new Set(['input_ids', 'attention_mask', 'position_ids']);

/**
 * Appends the entropy head to a standard decoder export (inputs input_ids, attention_mask
 * [, position_ids]; output logits [batch, seq, vocab] as optimum exports without past): the result
 * takes input_ids and attention_mask (position_ids, if the decoder has it, is computed in the graph as
 * cumsum(attention_mask) − 1, clamped at 0) and outputs entropy float32 [batch, seq] (plus logits when
 * asked). Weights stored as external data are linked or copied next to the output model.
 */
export async function wrapDecoderWithEntropyHead(inputOnnx: string, outputOnnx: string, options: WrapOptions = {}): Promise<WrapResult> {
  const what = inputOnnx;
  const size = (await stat(inputOnnx).catch((e: unknown) => { throw new EntropyLongError(`${what}: cannot read (${(e as Error).message})`, { cause: e }); })).size;
  if (size > MAX_MODEL_BYTES) throw new EntropyLongError(`${what}: ${size} bytes is over protobuf's 2 GiB limit; export with external data`);
  const buf = await readFile(inputOnnx);
  let model;
  try {
    model = parseModel(buf, what);
  } catch (e) {
    throw new EntropyLongError(`${what}: not a readable ONNX model (${(e as Error).message})`, { cause: e });
  }
  const opset = model.opsets.get('') ?? 0;
  if (opset < 13) throw new EntropyLongError(`${what}: default-domain opset ${opset} is below 13; re-export with opset ≥ 13`);

  // Inputs that are also initializers (IR < 4 lists weights as inputs) are not feeds.
  const inputNames = model.inputs.map((i) => i.name).filter((n) => !model.initializerNames.has(n));
  const unexpected = inputNames.filter((n) => !ALLOWED_INPUTS.has(n));
  if (unexpected.length > 0) {
    throw new EntropyLongError(`${what}: unsupported decoder inputs ${unexpected.join(', ')} (expected input_ids, attention_mask[, position_ids]; export without past key/values)`);
  }
  for (const required of ['input_ids', 'attention_mask']) {
    if (!inputNames.includes(required)) throw new EntropyLongError(`${what}: decoder has no '${required}' input (inputs: ${inputNames.join(', ')})`);
  }
  const logitsName = options.logitsOutput ?? 'logits';
  const logits = model.outputs.find((o) => o.name === logitsName);
  if (logits === undefined) throw new EntropyLongError(`${what}: no output named '${logitsName}' (outputs: ${model.outputs.map((o) => o.name).join(', ')})`);
  if (logits.elemType !== 'float' && logits.elemType !== 'float16' && logits.elemType !== 'bfloat16') {
    throw new EntropyLongError(`${what}: logits output '${logitsName}' has element type ${logits.elemType ?? 'unknown'}; float, float16 or bfloat16 expected`);
  }
  if (logits.dims.length !== 0 && logits.dims.length !== 3) throw new EntropyLongError(`${what}: logits output '${logitsName}' has rank ${logits.dims.length}; [batch, seq, vocab] expected`);
  const vocabDim = logits.dims[2];
  const hasPositionIds = inputNames.includes('position_ids');

  const pre = new GraphBuilder('position_ids', opset).reserveNames([...model.names].filter((n) => n !== 'position_ids'));
  if (hasPositionIds) {
    const one = pre.constInt64([1], [], 'entropy_head/one');
    const cum = pre.op('CumSum', ['attention_mask', one], {}, { name: 'entropy_head/cumsum' });
    pre.op('Max', [pre.op('Sub', [cum, one], {}, { name: 'entropy_head/minus_one' }), pre.constInt64([0], [], 'entropy_head/zero')], {}, { name: 'entropy_head/position_ids', outputNames: ['position_ids'] });
  }
  const post = new GraphBuilder('entropy_head', opset).reserveNames(model.names).reserveNames(pre.initializers.map((i) => i.name)).reserveNames(['position_ids']);
  const floatLogits = logits.elemType === 'float' ? logitsName : post.op('Cast', [logitsName], { to: ELEM_TYPE_CODE.float }, { name: 'entropy_head/cast' });
  post.output(appendEntropyHead(post, floatLogits, 'entropy_head/', opset), 'entropy', 'float', ['batch', 'seq']);

  const graph = new ProtoMessage();
  for (const n of pre.parts().nodes) graph.message(F.graph.node, n);
  for (const f of model.graphFields) {
    if (f.field === F.graph.output) continue;
    if (f.field === F.graph.input && hasPositionIds && model.inputs.find((i) => i.field === f)?.name === 'position_ids') continue;
    graph.raw(buf.subarray(f.start, f.end));
  }
  for (const n of post.parts().nodes) graph.message(F.graph.node, n);
  for (const t of [...pre.parts().initializers, ...post.parts().initializers]) graph.message(F.graph.initializer, tensorProto(t));
  for (const o of post.parts().outputs) graph.message(F.graph.output, o);
  if (options.withLogits === true) graph.raw(buf.subarray(logits.field.start, logits.field.end));

  const out = new ProtoMessage();
  for (const f of model.fields) {
    if (f === model.graphField) out.message(F.model.graph, graph);
    else out.raw(buf.subarray(f.start, f.end));
  }

  const externalDataFiles = await carryExternalData(inputOnnx, outputOnnx, model.externalLocations);
  await writeProtoFile(outputOnnx, out);
  return {
    inputs: ['input_ids', 'attention_mask'],
    outputs: options.withLogits === true ? ['entropy', logitsName] : ['entropy'],
    vocabSize: typeof vocabDim === 'number' ? vocabDim : undefined,
    opset,
    externalDataFiles,
  };
}

async function carryExternalData(inputOnnx: string, outputOnnx: string, locations: ReadonlySet<string>): Promise<string[]> {
  const fromDir = dirname(resolve(inputOnnx));
  const toDir = dirname(resolve(outputOnnx));
  const carried: string[] = [];
  for (const loc of locations) {
    const rel = normalize(loc);
    if (isAbsolute(rel) || rel.startsWith('..')) throw new EntropyLongError(`${inputOnnx}: external data location '${loc}' leaves the model's folder; refusing`);
    const src = join(fromDir, rel);
    await stat(src).catch((e: unknown) => { throw new EntropyLongError(`${inputOnnx}: external data file ${src} is missing`, { cause: e }); });
    if (fromDir === toDir) continue;
    const dst = join(toDir, rel);
    const tmp = `${dst}.tmp-${process.pid}`;
    await link(src, tmp).catch(() => copyFile(src, tmp));
    await rename(tmp, dst).catch(async (e: unknown) => { await rm(tmp, { force: true }); throw e; });
    carried.push(dst);
  }
  return carried;
}
