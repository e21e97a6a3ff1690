/** ggml tensor types (ggml.h `enum ggml_type`) with their block geometry: `blockSize` elements take `typeSize` bytes. */
export interface GgmlTypeInfo {
  id: number;
  name: string;
  blockSize: number;
  typeSize: number;
}

const QK_K = 256;

const table: GgmlTypeInfo[] = [
  { id: 0, name: 'F32', blockSize: 1, typeSize: 4 },
  { id: 1, name: 'F16', blockSize: 1, typeSize: 2 },
  { id: 2, name: 'Q4_0', blockSize: 32, typeSize: 2 + 16 },
  { id: 3, name: 'Q4_1', blockSize: 32, typeSize: 4 + 16 },
  { id: 6, name: 'Q5_0', blockSize: 32, typeSize: 2 + 4 + 16 },
  { id: 7, name: 'Q5_1', blockSize: 32, typeSize: 4 + 4 + 16 },
  { id: 8, name: 'Q8_0', blockSize: 32, typeSize: 2 + 32 },
  { id: 9, name: 'Q8_1', blockSize: 32, typeSize: 4 + 32 },
  { id: 10, name: 'Q2_K', blockSize: QK_K, typeSize: QK_K / 16 + QK_K / 4 + 4 },
  { id: 11, name: 'Q3_K', blockSize: QK_K, typeSize: QK_K / 8 + QK_K / 4 + 12 + 2 },
  { id: 12, name: 'Q4_K', blockSize: QK_K, typeSize: 4 + 12 + QK_K / 2 },
  { id: 13, name: 'Q5_K', blockSize: QK_K, typeSize: 4 + 12 + QK_K / 8 + QK_K / 2 },
  { id: 14, name: 'Q6_K', blockSize: QK_K, typeSize: QK_K / 2 + QK_K / 4 + QK_K / 16 + 2 },
  { id: 15, name: 'Q8_K', blockSize: QK_K, typeSize: 4 + QK_K + (QK_K / 16) * 2 },
  { id: 16, name: 'IQ2_XXS', blockSize: QK_K, typeSize: 66 },
  { id: 17, name: 'IQ2_XS', blockSize: QK_K, typeSize: 74 },
  { id: 18, name: 'IQ3_XXS', blockSize: QK_K, typeSize: 98 },
  { id: 19, name: 'IQ1_S', blockSize: QK_K, typeSize: 50 },
  { id: 20, name: 'IQ4_NL', blockSize: 32, typeSize: 18 },
  { id: 21, name: 'IQ3_S', blockSize: QK_K, typeSize: 110 },
  { id: 22, name: 'IQ2_S', blockSize: QK_K, typeSize: 82 },
  { id: 23, name: 'IQ4_XS', blockSize: QK_K, typeSize: 136 },
  { id: 24, name: 'I8', blockSize: 1, typeSize: 1 },
  { id: 25, name: 'I16', blockSize: 1, typeSize: 2 },
  { id: 26, name: 'I32', blockSize: 1, typeSize: 4 },
  { id: 27, name: 'I64', blockSize: 1, typeSize: 8 },
  { id: 28, name: 'F64', blockSize: 1, typeSize: 8 },
  { id: 29, name: 'IQ1_M', blockSize: QK_K, typeSize: 56 },
  { id: 30, name: 'BF16', blockSize: 1, typeSize: 2 },
];

const byId = new Map(table.map((t) => [t.id, t]));

export const GGML_TYPE = Object.fromEntries(table.map((t) => [t.name, t.id])) as Record<string, number>;

export function ggmlTypeInfo(id: number): GgmlTypeInfo | undefined {
  return byId.get(id);
}

export function ggmlTypeName(id: number): string {
  return byId.get(id)?.name ?? `unknown(${id})`;
}

/** Bytes taken by `count` elements of a type; count must be a multiple of the block size. */
export function ggmlByteSize(info: GgmlTypeInfo, count: number): number {
  return (count / info.blockSize) * info.typeSize;
}
