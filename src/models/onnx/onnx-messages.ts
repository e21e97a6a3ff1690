import { ProtoMessage } from './protobuf-writer.ts';
import { ATTR_TYPE, ELEM_TYPE_CODE, F, type Dim, type ElemType, type TensorData } from './onnx-types.ts';

/**
 * An attribute value. Plain numbers are ints when integral, floats otherwise; use `attr.float(1)`
 * for an integral float and `attr.ints([])`/`attr.floats([])` for empty lists.
 */
export type AttrValue =
  | number | bigint | string | readonly number[] | readonly string[]
  | { kind: 'float'; value: number } | { kind: 'int'; value: number | bigint }
  | { kind: 'floats'; value: readonly number[] } | { kind: 'ints'; value: readonly (number | bigint)[] }
  | { kind: 'tensor'; value: TensorProtoSpec };

export const attr = {
  float: (value: number) => ({ kind: 'float', value }) as const,
  int: (value: number | bigint) => ({ kind: 'int', value }) as const,
  floats: (value: readonly number[]) => ({ kind: 'floats', value }) as const,
  ints: (value: readonly (number | bigint)[]) => ({ kind: 'ints', value }) as const,
  tensor: (value: TensorProtoSpec) => ({ kind: 'tensor', value }) as const,
};

export interface TensorProtoSpec {
  name?: string;
  type: ElemType;
  dims: readonly number[];
  data: TensorData;
}

export interface Initializer extends TensorProtoSpec { name: string }

export function valueInfo(name: string, type: ElemType, dims: readonly Dim[]): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of dims) {
    const dim = new ProtoMessage();
    if (typeof d === 'number') dim.varint(F.dim.value, d);
    else dim.string(F.dim.param, d);
    shape.message(F.shape.dim, dim);
  }
  const tensorType = new ProtoMessage().varint(F.tensorType.elemType, ELEM_TYPE_CODE[type]).message(F.tensorType.shape, shape);
  const typeProto = new ProtoMessage().message(F.type.tensorType, tensorType);
  return new ProtoMessage().string(F.valueInfo.name, name).message(F.valueInfo.type, typeProto);
}

export function nodeProto(opType: string, inputs: readonly string[], outputs: readonly string[], name: string, domain: string, attrs: Record<string, AttrValue>): ProtoMessage {
  const m = new ProtoMessage();
  for (const i of inputs) m.string(F.node.input, i);
  for (const o of outputs) m.string(F.node.output, o);
  m.string(F.node.name, name).string(F.node.opType, opType);
  for (const [k, v] of Object.entries(attrs)) m.message(F.node.attribute, attributeProto(k, v));
  if (domain !== '') m.string(F.node.domain, domain);
  return m;
}

export function tensorProto(t: TensorProtoSpec): ProtoMessage {
  const m = new ProtoMessage();
  if (t.dims.length > 0) m.packedVarints(F.tensor.dims, t.dims);
  m.varint(F.tensor.dataType, ELEM_TYPE_CODE[t.type]);
  if (t.name !== undefined) m.string(F.tensor.name, t.name);
  m.bytes(F.tensor.rawData, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return m;
}

function attributeProto(name: string, v: AttrValue): ProtoMessage {
  const m = new ProtoMessage().string(F.attr.name, name);
  if (typeof v === 'string') return m.string(F.attr.s, v).varint(F.attr.type, ATTR_TYPE.string);
  if (typeof v === 'bigint') return m.varint(F.attr.i, v).varint(F.attr.type, ATTR_TYPE.int);
  if (typeof v === 'number') {
    return Number.isInteger(v) ? m.varint(F.attr.i, v).varint(F.attr.type, ATTR_TYPE.int) : m.float32(F.attr.f, v).varint(F.attr.type, ATTR_TYPE.float);
  }
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') {
      for (const s of v as string[]) m.string(F.attr.strings, s);
      return m.varint(F.attr.type, ATTR_TYPE.strings);
    }
    const nums = v as number[];
    return nums.every(Number.isInteger)
      ? m.packedVarints(F.attr.ints, nums).varint(F.attr.type, ATTR_TYPE.ints)
      : m.packedFloat32(F.attr.floats, nums).varint(F.attr.type, ATTR_TYPE.floats);
  }
  const tagged = v as Exclude<AttrValue, number | bigint | string | readonly unknown[]>;
  switch (tagged.kind) {
    case 'float': return m.float32(F.attr.f, tagged.value).varint(F.attr.type, ATTR_TYPE.float);
    case 'int': return m.varint(F.attr.i, tagged.value).varint(F.attr.type, ATTR_TYPE.int);
    case 'floats': return m.packedFloat32(F.attr.floats, [...tagged.value]).varint(F.attr.type, ATTR_TYPE.floats);
    case 'ints': return m.packedVarints(F.attr.ints, tagged.value).varint(F.attr.type, ATTR_TYPE.ints);
    case 'tensor': return m.message(F.attr.t, tensorProto(tagged.value)).varint(F.attr.type, ATTR_TYPE.tensor);
  }
}
