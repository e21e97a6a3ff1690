import { readFile } from 'node:fs/promises';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { TokenizerError } from './tokenizer-error.ts';

export interface EncodeOptions {
  /** Recognise control tokens such as `<|im_start|>` written in the text (llama.cpp `parse_special`). Default false. */
  readonly parseSpecial?: boolean;
  /** Prepend BOS when the tokenizer's metadata asks for it (llama.cpp `add_special`). Default false. */
  readonly addSpecial?: boolean;
}

/** Subset of a tokenizer.json this wrapper reads besides what @huggingface/tokenizers reads. */
interface LoadedJson {
  readonly added_tokens?: readonly { readonly id: number; readonly content: string; readonly special?: boolean }[];
  readonly post_processor?: unknown;
  readonly model?: { readonly vocab?: Record<string, number> };
}

const hfConfig = { clean_up_tokenization_spaces: false };

/**
 * Text ↔ token ids over a `tokenizer.json`. By default control tokens written in the text are
 * tokenized as plain text and no BOS is added, as llama.cpp's `tokenize(text, add_special=false,
 * parse_special=false)`; ids never come back undefined (an unmappable piece is an error naming it).
 */
export class Tokenizer {
  readonly vocabSize: number;
  private readonly json: LoadedJson;
  /** Without special added tokens: @huggingface/tokenizers always splits added tokens out of the text. */
  private readonly plain: HfTokenizer;
  private full: HfTokenizer | undefined;

  private constructor(json: LoadedJson) {
    this.json = json;
    const added = json.added_tokens ?? [];
    this.plain = new HfTokenizer({ ...json, added_tokens: added.filter((t) => t.special !== true) }, hfConfig);
    this.vocabSize = Math.max(
      Object.keys(json.model?.vocab ?? {}).length,
      ...added.map((t) => t.id + 1),
    );
  }

  static fromJson(json: unknown, source = 'tokenizer.json'): Tokenizer {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TokenizerError(`${source}: not a JSON object`);
    const model = (json as { model?: unknown }).model;
    if (typeof model !== 'object' || model === null) throw new TokenizerError(`${source}: has no 'model' object`);
    try {
      return new Tokenizer(json as LoadedJson);
    } catch (cause) {
      throw new TokenizerError(`${source}: @huggingface/tokenizers could not load it: ${String(cause)}`, { cause });
    }
  }

  static async fromFile(path: string): Promise<Tokenizer> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      throw new TokenizerError(`tokenizer file ${path}: cannot be read (${String(cause)})`, { cause });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new TokenizerError(`tokenizer file ${path}: is not valid JSON (${String(cause)})`, { cause });
    }
    return Tokenizer.fromJson(json, `tokenizer file ${path}`);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    if (typeof text !== 'string') throw new TokenizerError(`encode: expected a string, got ${typeof text}`);
    const tk = options.parseSpecial === true ? this.fullTokenizer() : this.plain;
    const enc = tk.encode(text, { add_special_tokens: options.addSpecial === true });
    const ids = enc.ids;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (typeof id !== 'number' || !Number.isInteger(id)) {
        throw new TokenizerError(`encode: piece ${JSON.stringify(enc.tokens[i])} (token ${i} of the text) has no id in the vocabulary`);
      }
    }
    return ids;
  }

  /** Token ids → text. Special (control) tokens are rendered only when `renderSpecial` is true. */
  decode(ids: readonly number[], options: { readonly renderSpecial?: boolean } = {}): string {
    if (ids.length === 0) return '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new TokenizerError(`decode: ids[${i}] = ${String(id)} is not a token id (vocabulary of ${this.vocabSize})`);
      }
    }
    return this.fullTokenizer().decode([...ids], { skip_special_tokens: options.renderSpecial !== true });
  }

  private fullTokenizer(): HfTokenizer {
    this.full ??= new HfTokenizer(this.json, hfConfig);
    return this.full;
  }
}
