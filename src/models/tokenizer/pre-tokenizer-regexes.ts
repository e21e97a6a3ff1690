/**
 * The pre-tokenizer of each llama.cpp BPE `tokenizer.ggml.pre` type: an ordered list of regexes,
 * applied in turn, each splitting every piece into matches and the text between them (llama.cpp's
 * `unicode_regex_split`). Copied from llama.cpp `src/llama-vocab.cpp` (llm_tokenizer_bpe).
 * A type missing here is refused by name rather than tokenized differently from llama.cpp.
 */
const GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
const LLAMA3 =
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2 =
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const byPreType: Readonly<Record<string, readonly string[]>> = {
  // llama.cpp types STARCODER, REFACT, COMMAND_R, SMOLLM, CODESHELL
  smollm: ['\\p{N}', GPT2],
  starcoder: ['\\p{N}', GPT2],
  refact: ['\\p{N}', GPT2],
  'command-r': ['\\p{N}', GPT2],
  codeshell: ['\\p{N}', GPT2],
  // type GPT2 (and MPT, OLMO, JAIS, which share its regex)
  'gpt-2': [GPT2],
  'phi-2': [GPT2],
  'roberta-bpe': [GPT2],
  mpt: [GPT2],
  olmo: [GPT2],
  jais: [GPT2],
  // type LLAMA3 (and DBRX, SMAUG)
  'llama-bpe': [LLAMA3],
  'llama3': [LLAMA3],
  dbrx: [LLAMA3],
  'smaug-bpe': [LLAMA3],
  // type DEFAULT (key absent or "default")
  default: ['[\\p{P}\\$\\+<=>\\^~\\|]+', GPT2, '\\p{N}+', '[0-9][0-9][0-9]'],
  // type QWEN2 (and STABLELM2)
  qwen2: [QWEN2],
  stablelm2: [QWEN2],
};

/** llama.cpp sets `ignore_merges` (a whole pre-token found in the vocabulary is kept) for LLAMA3 only. */
export const ignoresMerges = (pre: string): boolean => byPreType[pre] === undefined ? false : byPreType[pre]?.[0] === LLAMA3;

export const supportedPreTypes = (): string[] => Object.keys(byPreType).sort();

/** The regexes of `pre`, or undefined when llama.cpp's type is not carried over here. */
export const preTokenizerRegexes = (pre: string): readonly string[] | undefined => byPreType[pre];
