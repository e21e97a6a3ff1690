import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { UserError } from '../../util/errors.ts';

/**
 * Encodes text for a BERT embedder the way sentence-transformers does: the tokenizer.json's
 * normaliser and WordPiece model, then [CLS] pieces [SEP], truncated so the whole sequence is at
 * most `maxTokens` long (the model's max_seq_length, specials included).
 */
export class WordPieceEncoder {
  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly clsId: number,
    private readonly sepId: number,
    readonly maxTokens: number,
  ) {}

  /** Loads `tokenizer.json` (and `tokenizer_config.json` beside it, when present). */
  static async load(tokenizerPath: string, maxTokens: number): Promise<WordPieceEncoder> {
    if (!Number.isInteger(maxTokens) || maxTokens < 3) throw new UserError(`embedder maxTokens must be an integer ≥ 3, got ${maxTokens}`);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(tokenizerPath, 'utf8'));
    } catch (e) {
      throw new UserError(`tokenizer ${tokenizerPath}: cannot read (${(e as Error).message})`, { cause: e });
    }
    const configPath = join(dirname(tokenizerPath), 'tokenizer_config.json');
    const config: unknown = existsSync(configPath) ? JSON.parse(await readFile(configPath, 'utf8')) : {};
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(json as object, config as object);
    } catch (e) {
      throw new UserError(`tokenizer ${tokenizerPath}: not a usable tokenizer.json (${(e as Error).message})`, { cause: e });
    }
    const cls = tokenizer.token_to_id('[CLS]');
    const sep = tokenizer.token_to_id('[SEP]');
    if (cls === undefined || sep === undefined) throw new UserError(`tokenizer ${tokenizerPath}: no [CLS]/[SEP] tokens (not a BERT WordPiece tokenizer?)`);
    return new WordPieceEncoder(tokenizer, cls, sep, maxTokens);
  }

  encode(text: string): number[] {
    const need = this.maxTokens - 2;
    // A prefix cut at ASCII whitespace tokenizes into a prefix of the full text's pieces (BERT
    // splits words at whitespace, and its normaliser is per character), so a long text is
    // tokenized only as far as the pieces kept, growing the prefix until it yields enough.
    for (let limit = need * 16; limit < text.length; limit *= 4) {
      const cut = lastAsciiSpaceAtOrBefore(text, limit);
      if (cut <= 0) break;
      const pieces = this.pieces(text.slice(0, cut));
      if (pieces.length >= need) return this.wrap(pieces);
    }
    return this.wrap(this.pieces(text));
  }

  private pieces(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  private wrap(pieces: readonly number[]): number[] {
    return [this.clsId, ...pieces.slice(0, this.maxTokens - 2), this.sepId];
  }
}

function lastAsciiSpaceAtOrBefore(text: string, index: number): number {
  for (let i = Math.min(index, text.length - 1); i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) return i;
  }
  return -1;
}
