/** The subset of the Hugging Face `tokenizer.json` format that the GGUF conversion writes. */
export interface AddedTokenJson {
  readonly id: number;
  readonly content: string;
  readonly single_word: boolean;
  readonly lstrip: boolean;
  readonly rstrip: boolean;
  readonly normalized: boolean;
  readonly special: boolean;
}

export interface SplitPreTokenizerJson {
  readonly type: 'Split';
  readonly pattern: { readonly Regex: string };
  readonly behavior: 'Isolated';
  readonly invert: false;
}

export interface ByteLevelJson {
  readonly type: 'ByteLevel';
  readonly add_prefix_space: false;
  readonly trim_offsets: boolean;
  readonly use_regex: false;
}

export interface BpeModelJson {
  readonly type: 'BPE';
  readonly dropout: null;
  readonly unk_token: string | null;
  readonly continuing_subword_prefix: null;
  readonly end_of_word_suffix: null;
  readonly fuse_unk: false;
  readonly byte_fallback: false;
  readonly ignore_merges: boolean;
  readonly vocab: Record<string, number>;
  readonly merges: readonly (readonly [string, string])[];
}

export interface TemplateProcessingJson {
  readonly type: 'TemplateProcessing';
  readonly single: readonly unknown[];
  readonly pair: readonly unknown[];
  readonly special_tokens: Record<string, { id: string; ids: number[]; tokens: string[] }>;
}

export interface TokenizerJson {
  readonly version: '1.0';
  readonly truncation: null;
  readonly padding: null;
  readonly added_tokens: readonly AddedTokenJson[];
  readonly normalizer: null;
  readonly pre_tokenizer: { readonly type: 'Sequence'; readonly pretokenizers: readonly (SplitPreTokenizerJson | ByteLevelJson)[] };
  readonly post_processor: TemplateProcessingJson | null;
  readonly decoder: ByteLevelJson;
  readonly model: BpeModelJson;
  /** Not part of the HF format (ignored by loaders): where this file came from and its special ids. */
  readonly entropylong: {
    readonly source: 'gguf';
    readonly ggufModel: string;
    readonly ggufPre: string;
    readonly bosTokenId: number | null;
    readonly eosTokenId: number | null;
    readonly unkTokenId: number | null;
    readonly padTokenId: number | null;
    readonly addBosToken: boolean;
  };
}
