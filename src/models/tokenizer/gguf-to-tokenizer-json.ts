import { ignoresMerges, preTokenizerRegexes, supportedPreTypes } from './pre-tokenizer-regexes.ts';
import { TokenizerError } from './tokenizer-error.ts';
import type { AddedTokenJson, TemplateProcessingJson, TokenizerJson } from './tokenizer-json.ts';

/** Any key → value lookup over GGUF metadata (a Map, or the GGUF reader's accessor). */
export interface GgufMetadataLookup {
  get(key: string): unknown;
}

/** llama.cpp `llama_token_type` values stored in `tokenizer.ggml.token_type`. */
const TokenType = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

const where = (key: string): string => `GGUF metadata key '${key}'`;

const readString = (meta: GgufMetadataLookup, key: string): string => {
  const v = meta.get(key);
  if (typeof v !== 'string') throw new TokenizerError(`${where(key)}: expected a string, found ${describe(v)}`);
  return v;
};

const readOptionalId = (meta: GgufMetadataLookup, key: string, vocabSize: number): number | null => {
  const v = meta.get(key);
  if (v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TokenizerError(`${where(key)}: expected an integer, found ${describe(v)}`);
  // llama.cpp stores −1 (as uint32 0xFFFFFFFF) for "none"
  if (n < 0 || n === 0xffffffff) return null;
  if (n >= vocabSize) throw new TokenizerError(`${where(key)}: id ${n} is outside the vocabulary of ${vocabSize} tokens`);
  return n;
};

const readOptionalBool = (meta: GgufMetadataLookup, key: string, fallback: boolean): boolean => {
  const v = meta.get(key);
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TokenizerError(`${where(key)}: expected a boolean, found ${describe(v)}`);
  return v;
};

const readStringArray = (meta: GgufMetadataLookup, key: string): readonly string[] => {
  const v = meta.get(key);
  if (!Array.isArray(v)) throw new TokenizerError(`${where(key)}: expected an array of strings, found ${describe(v)}`);
  v.forEach((s: unknown, i) => {
    if (typeof s !== 'string') throw new TokenizerError(`${where(key)}[${i}]: expected a string, found ${describe(s)}`);
  });
  return v as string[];
};

const readIntArray = (meta: GgufMetadataLookup, key: string, length: number): ArrayLike<number> | undefined => {
  const v = meta.get(key);
  if (v === undefined) return undefined;
  const arr = ArrayBuffer.isView(v) && !(v instanceof DataView) ? (v as unknown as ArrayLike<number>) : Array.isArray(v) ? (v as unknown[]) : undefined;
  if (arr === undefined) throw new TokenizerError(`${where(key)}: expected an array of integers, found ${describe(v)}`);
  if (arr.length !== length) throw new TokenizerError(`${where(key)}: has ${arr.length} entries but the vocabulary has ${length}`);
  const out = new Array<number>(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const x = Number(arr[i]);
    if (!Number.isInteger(x)) throw new TokenizerError(`${where(key)}[${i}]: expected an integer, found ${describe(arr[i])}`);
    out[i] = x;
  }
  return out;
};

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (key absent)';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v).slice(0, 40)}`;
}

/**
 * Converts GGUF tokenizer metadata (`tokenizer.ggml.*`) into a Hugging Face `tokenizer.json` object
 * that tokenizes as llama.cpp does with `parse_special = false` when loaded by `Tokenizer`:
 * byte-level BPE with llama.cpp's pre-tokenizer regexes for `tokenizer.ggml.pre`; control, unknown
 * and user-defined tokens become added tokens (control/unknown marked special).
 * Only the "gpt2" (byte-level BPE) tokenizer model is supported; others are refused by name.
 */
export function ggufTokenizerToJson(meta: GgufMetadataLookup): TokenizerJson {
  const model = readString(meta, 'tokenizer.ggml.model');
  if (model !== 'gpt2') {
    throw new TokenizerError(
      `${where('tokenizer.ggml.model')}: tokenizer model '${model}' is not supported (only 'gpt2', byte-level BPE; ` +
        `'llama' SentencePiece and others are not converted)`,
    );
  }
  const preKey = 'tokenizer.ggml.pre';
  const pre = meta.get(preKey) === undefined ? 'default' : readString(meta, preKey);
  const regexes = preTokenizerRegexes(pre);
  if (regexes === undefined) {
    throw new TokenizerError(`${where(preKey)}: pre-tokenizer '${pre}' is not supported (supported: ${supportedPreTypes().join(', ')})`);
  }

  const tokens = readStringArray(meta, 'tokenizer.ggml.tokens');
  if (tokens.length === 0) throw new TokenizerError(`${where('tokenizer.ggml.tokens')}: the vocabulary is empty`);
  const types = readIntArray(meta, 'tokenizer.ggml.token_type', tokens.length);
  const mergeStrings = readStringArray(meta, 'tokenizer.ggml.merges');

  const vocab: Record<string, number> = Object.create(null) as Record<string, number>;
  const addedTokens: AddedTokenJson[] = [];
  tokens.forEach((token, id) => {
    if (token in vocab) throw new TokenizerError(`${where('tokenizer.ggml.tokens')}[${id}]: token ${JSON.stringify(token)} repeats id ${vocab[token]}`);
    vocab[token] = id;
    const type = types?.[id] ?? TokenType.normal;
    if (type === TokenType.control || type === TokenType.unknown || type === TokenType.userDefined) {
      addedTokens.push({ id, content: token, single_word: false, lstrip: false, rstrip: false, normalized: false, special: type !== TokenType.userDefined });
    }
  });

  // llama.cpp splits a merge at the first space after its first character
  const merges = mergeStrings.map((m, i): [string, string] => {
    const at = m.indexOf(' ', 1);
    if (at < 0) throw new TokenizerError(`${where('tokenizer.ggml.merges')}[${i}]: ${JSON.stringify(m)} is not two tokens separated by a space`);
    const pair: [string, string] = [m.slice(0, at), m.slice(at + 1)];
    // llama.cpp would fall back to bytes here; @huggingface/tokenizers would silently drop the piece
    if (!(pair[0] + pair[1] in vocab)) {
      throw new TokenizerError(`${where('tokenizer.ggml.merges')}[${i}]: ${JSON.stringify(m)} makes ${JSON.stringify(pair[0] + pair[1])}, which is not in the vocabulary`);
    }
    return pair;
  });

  const bos = readOptionalId(meta, 'tokenizer.ggml.bos_token_id', tokens.length);
  const eos = readOptionalId(meta, 'tokenizer.ggml.eos_token_id', tokens.length);
  const unk = readOptionalId(meta, 'tokenizer.ggml.unknown_token_id', tokens.length);
  const pad = readOptionalId(meta, 'tokenizer.ggml.padding_token_id', tokens.length);
  // llama.cpp's default for BPE vocabularies is add_bos = false
  const addBos = readOptionalBool(meta, 'tokenizer.ggml.add_bos_token', false);
  if (addBos && bos === null) throw new TokenizerError(`${where('tokenizer.ggml.add_bos_token')}: is true but there is no bos_token_id`);

  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        ...regexes.map((r) => ({ type: 'Split' as const, pattern: { Regex: r }, behavior: 'Isolated' as const, invert: false as const })),
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
      ],
    },
    post_processor: addBos && bos !== null ? bosTemplate(tokens[bos] ?? '', bos) : null,
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: unk === null ? null : (tokens[unk] ?? null),
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: ignoresMerges(pre),
      vocab,
      merges,
    },
    entropylong: { source: 'gguf', ggufModel: model, ggufPre: pre, bosTokenId: bos, eosTokenId: eos, unkTokenId: unk, padTokenId: pad, addBosToken: addBos },
  };
}

const bosTemplate = (bosToken: string, bosId: number): TemplateProcessingJson => ({
  type: 'TemplateProcessing',
  single: [{ SpecialToken: { id: bosToken, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
  pair: [{ SpecialToken: { id: bosToken, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
  special_tokens: { [bosToken]: { id: bosToken, ids: [bosId], tokens: [bosToken] } },
});
