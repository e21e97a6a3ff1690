/** GGUF on-disk constants (ggml/docs/gguf.md). */
export const GGUF_MAGIC = 0x46554747; // "GGUF" little-endian
export const GGUF_DEFAULT_ALIGNMENT = 32;

export const GGUF_VALUE_TYPE = {
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7,
  STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12,
} as const;

/** A metadata value. 64-bit integers are numbers when exactly representable, else bigint. */
export type GgufScalar = number | bigint | boolean | string;
export type GgufValue = GgufScalar | GgufValue[];

export interface GgufTensorInfo {
  name: string;
  /** ggml order: dims[0] is the contiguous (innermost) dimension, e.g. [in, out] for a weight matrix. */
  dims: number[];
  type: number;
  /** Offset relative to the data section. */
  offset: number;
  /** Absolute offset in the file. */
  fileOffset: number;
  byteSize: number;
  elementCount: number;
}
