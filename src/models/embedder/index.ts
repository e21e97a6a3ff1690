export { OnnxEmbedder } from './onnx-embedder.ts';
export type { OnnxEmbedderOptions } from './onnx-embedder-options.ts';
export { WordPieceEncoder } from './wordpiece-encoder.ts';
