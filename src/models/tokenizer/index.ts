export { ggufTokenizerToJson, type GgufMetadataLookup } from './gguf-to-tokenizer-json.ts';
export { Tokenizer, type EncodeOptions } from './tokenizer.ts';
export { TokenizerError } from './tokenizer-error.ts';
export type { TokenizerJson } from './tokenizer-json.ts';
export { supportedPreTypes } from './pre-tokenizer-regexes.ts';
