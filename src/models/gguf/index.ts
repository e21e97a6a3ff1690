/**
 * GGUF (v2/v3) reading: `GgufFile.open(path)` parses header, metadata and tensor infos; tensors are
 * read lazily (`readRaw`, `readFloat32` dequantises F32/F16/BF16/Q4_0/Q4_1/Q5_0/Q5_1/Q8_0/Q2_K..Q8_K).
 * Metadata: `file.metadata.getString('tokenizer.ggml.model')`, `getStringArray('tokenizer.ggml.tokens')`,
 * `getNumberArray('tokenizer.ggml.token_type')`, `optionalNumber('tokenizer.ggml.bos_token_id')`, …
 * `readGgufMetadata(path)` opens, reads the metadata and closes.
 */
export { GgufFile, GgufFormatError, type GgufHeader } from './gguf-reader.ts';
export { GgufMetadata } from './gguf-metadata.ts';
export type { GgufTensorInfo, GgufValue } from './gguf-format.ts';
export { GGML_TYPE, ggmlTypeName } from './ggml-types.ts';
export { dequantize, canDequantize } from './dequantize.ts';
export { readGgufMetadata } from './read-metadata.ts';
export { writeGguf, gv, type GgufWriteTensor, type GgufWriteValue } from './gguf-writer.ts';
