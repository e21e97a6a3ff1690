/** Readers of the golden fixtures made by test/fixtures/reference/make_reference.py (llama.cpp). */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';

const dir = new URL('../fixtures/reference/', import.meta.url);

export interface Provenance {
  readonly gguf_file: string;
  readonly gguf_sha256: string;
  readonly llama_cpp_python: string;
}
export interface TokenizationFixture {
  readonly provenance: Provenance;
  readonly texts: readonly { readonly name: string; readonly text: string; readonly ids: readonly number[]; readonly detokenized_utf8_hex: string }[];
}
export interface EntropyFixture {
  readonly provenance: Provenance;
  readonly texts: readonly { readonly name: string; readonly ids: readonly number[]; readonly entropy: readonly number[]; readonly entropy_exact_f64: readonly number[] }[];
}

export const committedTokenizerPath = new URL('tokenizer.json', dir).pathname;
const read = <T>(name: string): T | undefined => {
  const p = new URL(name, dir);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as T) : undefined;
};
export const tokenizationFixture = (): TokenizationFixture | undefined => read<TokenizationFixture>('tokenization.json');
export const entropyFixture = (): EntropyFixture | undefined => read<EntropyFixture>('entropies.json');

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
