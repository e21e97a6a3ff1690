/** ONNX element types (TensorProto.DataType) this project writes, and their typed-array carriers. */
export type ElemType = 'float' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool' | 'double';

export const ELEM_TYPE_CODE: Record<ElemType, number> = {
  float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, double: 11, bfloat16: 16,
};

export const ELEM_TYPE_BYTES: Record<ElemType, number> = {
  float: 4, uint8: 1, int8: 1, int32: 4, int64: 8, bool: 1, float16: 2, double: 8, bfloat16: 2,
};

export function elemTypeFromCode(code: number): ElemType | undefined {
  return (Object.keys(ELEM_TYPE_CODE) as ElemType[]).find((k) => ELEM_TYPE_CODE[k] === code);
}

/** A dimension: a fixed size, or a symbolic name (dim_param) such as 'batch'. */
export type Dim = number | string;

/** Typed arrays accepted as initializer data; float16/bfloat16 are raw bits in a Uint16Array. */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;

/** Field numbers of onnx.proto (IR version 8) used by the writer and the editor. */
export const F = {
  model: { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8 },
  opset: { domain: 1, version: 2 },
  graph: { node: 1, name: 2, initializer: 5, input: 11, output: 12, valueInfo: 13 },
  node: { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 },
  attr: { name: 1, f: 2, i: 3, s: 4, t: 5, floats: 7, ints: 8, strings: 9, type: 20 },
  tensor: { dims: 1, dataType: 2, name: 8, rawData: 9, externalData: 13, dataLocation: 14 },
  stringEntry: { key: 1, value: 2 },
  valueInfo: { name: 1, type: 2 },
  type: { tensorType: 1 },
  tensorType: { elemType: 1, shape: 2 },
  shape: { dim: 1 },
  dim: { value: 1, param: 2 },
} as const;

export const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;
