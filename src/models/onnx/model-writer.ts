import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { ProtoMessage } from './protobuf-writer.ts';
import { ELEM_TYPE_CODE, F } from './onnx-types.ts';
import { tensorProto, type Initializer } from './onnx-messages.ts';

export interface SaveOptions {
  /**
   * 'auto' (default): weights go to an external data file `<model file name>.data` beside the model
   * only when the model would pass `externalThresholdBytes`; 'always' / 'never' force the choice.
   */
  externalData?: 'auto' | 'always' | 'never';
  /** @default 1_900_000_000 (protobuf's limit is 2 GiB) */
  externalThresholdBytes?: number;
  producerName?: string;
}

export interface ModelParts {
  opsets: [string, number][];
  graphName: string;
  nodes: ProtoMessage[];
  inputs: ProtoMessage[];
  outputs: ProtoMessage[];
  initializers: Initializer[];
}

const IR_VERSION = 8;
/** Tensors smaller than this stay inside the model even when the rest goes external. */
const EXTERNAL_MIN_BYTES = 1024;
const EXTERNAL_ALIGN = 4096;

/** Writes an ONNX ModelProto to `path` via a temp name and a final rename, so a crash never leaves a complete-looking model. */
export async function writeModel(path: string, model: ModelParts, options: SaveOptions = {}): Promise<void> {
  const weightBytes = model.initializers.reduce((n, t) => n + t.data.byteLength, 0);
  const mode = options.externalData ?? 'auto';
  const external = mode === 'always' || (mode === 'auto' && weightBytes > (options.externalThresholdBytes ?? 1_900_000_000));
  const dataName = `${basename(path)}.data`;
  const dataPath = `${path}.data`;
  const tmpModel = `${path}.tmp-${process.pid}`;
  const tmpData = `${dataPath}.tmp-${process.pid}`;

  const graph = new ProtoMessage();
  for (const n of model.nodes) graph.message(F.graph.node, n);
  graph.string(F.graph.name, model.graphName);
  const externalTensors: Initializer[] = [];
  let dataOffset = 0;
  for (const t of model.initializers) {
    if (external && t.data.byteLength >= EXTERNAL_MIN_BYTES) {
      dataOffset = Math.ceil(dataOffset / EXTERNAL_ALIGN) * EXTERNAL_ALIGN;
      graph.message(F.graph.initializer, externalTensorProto(t, dataName, dataOffset));
      externalTensors.push(t);
      dataOffset += t.data.byteLength;
    } else {
      graph.message(F.graph.initializer, tensorProto(t));
    }
  }
  for (const i of model.inputs) graph.message(F.graph.input, i);
  for (const o of model.outputs) graph.message(F.graph.output, o);

  const m = new ProtoMessage().varint(F.model.irVersion, IR_VERSION).string(F.model.producerName, options.producerName ?? 'entropylong');
  m.message(F.model.graph, graph);
  for (const [domain, version] of model.opsets) m.message(F.model.opsetImport, new ProtoMessage().string(F.opset.domain, domain).varint(F.opset.version, version));
  if (!external && m.byteLength >= 2 ** 31) throw new RangeError(`model ${path} is ${m.byteLength} bytes, over protobuf's 2 GiB limit: save with externalData`);

  try {
    const hasData = externalTensors.length > 0;
    if (hasData) await writeExternalData(tmpData, externalTensors);
    await writeParts(tmpModel, m.parts);
    if (hasData) await rename(tmpData, dataPath);
    await rename(tmpModel, path);
  } catch (e) {
    await rm(tmpModel, { force: true });
    await rm(tmpData, { force: true });
    throw e;
  }
}

function externalTensorProto(t: Initializer, location: string, offset: number): ProtoMessage {
  const m = new ProtoMessage();
  if (t.dims.length > 0) m.packedVarints(F.tensor.dims, t.dims);
  m.varint(F.tensor.dataType, elemCode(t));
  m.string(F.tensor.name, t.name);
  const entry = (k: string, v: string) => new ProtoMessage().string(F.stringEntry.key, k).string(F.stringEntry.value, v);
  m.message(F.tensor.externalData, entry('location', location));
  m.message(F.tensor.externalData, entry('offset', String(offset)));
  m.message(F.tensor.externalData, entry('length', String(t.data.byteLength)));
  m.varint(F.tensor.dataLocation, 1);
  return m;
}

function elemCode(t: Initializer): number {
  return ELEM_TYPE_CODE[t.type];
}

async function writeExternalData(path: string, tensors: readonly Initializer[]): Promise<void> {
  const fh = await open(path, 'w');
  try {
    let offset = 0;
    for (const t of tensors) {
      offset = Math.ceil(offset / EXTERNAL_ALIGN) * EXTERNAL_ALIGN;
      const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      await writeAll(fh, bytes, offset);
      offset += bytes.byteLength;
    }
  } finally {
    await fh.close();
  }
}

/** Writes an encoded message atomically (temp name, then rename). */
export async function writeProtoFile(path: string, message: ProtoMessage): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeParts(tmp, message.parts);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Streams parts to a file, coalescing small ones into 1 MiB writes. */
async function writeParts(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const fh = await open(path, 'w');
  try {
    const chunk = new Uint8Array(1 << 20);
    let used = 0;
    let position = 0;
    const flush = async () => {
      if (used === 0) return;
      await writeAll(fh, chunk.subarray(0, used), position);
      position += used;
      used = 0;
    };
    for (const p of parts) {
      if (p.byteLength > chunk.byteLength / 4) {
        await flush();
        await writeAll(fh, p, position);
        position += p.byteLength;
        continue;
      }
      if (used + p.byteLength > chunk.byteLength) await flush();
      chunk.set(p, used);
      used += p.byteLength;
    }
    await flush();
  } finally {
    await fh.close();
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesWritten } = await fh.write(bytes, done, Math.min(bytes.byteLength - done, 1 << 30), position + done);
    done += bytesWritten;
  }
}
