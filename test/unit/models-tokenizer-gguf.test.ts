import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ggufTokenizerToJson, Tokenizer } from '../../src/models/tokenizer/index.ts';

/** A miniature byte-level BPE vocabulary in GGUF metadata form ('Ġ' is the byte-level space). */
function miniMeta(overrides: Record<string, unknown> = {}): Map<string, unknown> {
  const bytes = Array.from('abcdefghijklmnopqrstuvwxyz0123456789.,!<>|_ĠĊĉ');
  const tokens = ['<|endoftext|>', '<|im_start|>', '<my_tag>', ...bytes, 'he', 'll', 'hell', 'hello', 'Ġw', 'Ġwo', 'Ġwor', 'Ġworl'];
  const types = tokens.map((_, i) => (i < 2 ? 3 : i === 2 ? 4 : 1));
  const merges = ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'Ġw o', 'Ġwo r', 'Ġwor l'];
  const m = new Map<string, unknown>([
    ['tokenizer.ggml.model', 'gpt2'],
    ['tokenizer.ggml.pre', 'smollm'],
    ['tokenizer.ggml.tokens', tokens],
    ['tokenizer.ggml.token_type', types],
    ['tokenizer.ggml.merges', merges],
    ['tokenizer.ggml.bos_token_id', 0],
    ['tokenizer.ggml.eos_token_id', 0],
  ]);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) m.delete(k);
    else m.set(k, v);
  }
  return m;
}

describe('ggufTokenizerToJson', () => {
  it('writes byte-level BPE with llama.cpp pre-tokenizer regexes, control tokens as special added tokens', () => {
    const json = ggufTokenizerToJson(miniMeta());
    assert.equal(json.model.type, 'BPE');
    assert.deepEqual(json.model.merges[0], ['h', 'e']);
    assert.deepEqual(json.pre_tokenizer.pretokenizers.map((p) => p.type), ['Split', 'Split', 'ByteLevel']);
    assert.deepEqual(json.added_tokens.map((t) => [t.id, t.content, t.special]), [[0, '<|endoftext|>', true], [1, '<|im_start|>', true], [2, '<my_tag>', false]]);
    assert.equal(json.entropylong.ggufPre, 'smollm');
    assert.equal(json.post_processor, null);
  });

  it('tokenizes: merges by rank, digits one by one, control tokens as text unless asked', () => {
    const tk = Tokenizer.fromJson(ggufTokenizerToJson(miniMeta()));
    const id = (s: string): number => (ggufTokenizerToJson(miniMeta()).model.vocab[s] as number);
    assert.deepEqual(tk.encode('hello world'), [id('hello'), id('Ġworl'), id('d')]);
    assert.deepEqual(tk.encode('hello'), [id('hello')]);
    assert.deepEqual(tk.encode('42'), [id('4'), id('2')]);
    assert.deepEqual(tk.encode('a<|im_start|>'), ['a', '<', '|', 'i', 'm', '_', 's', 't', 'a', 'r', 't', '|', '>'].map(id));
    assert.deepEqual(tk.encode('a<|im_start|>', { parseSpecial: true }), [id('a'), 1]);
    assert.deepEqual(tk.encode('a<my_tag>'), [id('a'), 2], 'user-defined tokens are matched in plain text, as llama.cpp does');
    assert.equal(tk.decode(tk.encode('hello world 42')), 'hello world 42');
    assert.equal(tk.decode([0, ...tk.encode('hi')]), 'hi');
    assert.equal(tk.decode([0, ...tk.encode('hi')], { renderSpecial: true }), '<|endoftext|>hi');
  });

  it('adds BOS only when the metadata asks and the caller wants special tokens', () => {
    const tk = Tokenizer.fromJson(ggufTokenizerToJson(miniMeta({ 'tokenizer.ggml.add_bos_token': true })));
    assert.deepEqual(tk.encode('a', { addSpecial: true }).slice(0, 1), [0]);
    assert.equal(tk.encode('a').includes(0), false);
  });

  it('names what is wrong with bad metadata', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ 'tokenizer.ggml.model': 'llama' }, /tokenizer\.ggml\.model'.*'llama' is not supported \(only 'gpt2'/],
      [{ 'tokenizer.ggml.model': undefined }, /'tokenizer\.ggml\.model': expected a string, found nothing \(key absent\)/],
      [{ 'tokenizer.ggml.pre': 'klingon' }, /pre-tokenizer 'klingon' is not supported \(supported: .*smollm/],
      [{ 'tokenizer.ggml.tokens': undefined }, /'tokenizer\.ggml\.tokens': expected an array of strings/],
      [{ 'tokenizer.ggml.tokens': ['a', 7] }, /'tokenizer\.ggml\.tokens'\[1\]: expected a string/],
      [{ 'tokenizer.ggml.token_type': [1, 1] }, /'tokenizer\.ggml\.token_type': has 2 entries but the vocabulary has/],
      [{ 'tokenizer.ggml.merges': ['ab'] }, /'tokenizer\.ggml\.merges'\[0\]: "ab" is not two tokens/],
      [{ 'tokenizer.ggml.merges': ['h e', 'x y'] }, /'tokenizer\.ggml\.merges'\[1\]: "x y" makes "xy", which is not in the vocabulary/],
      [{ 'tokenizer.ggml.bos_token_id': 99999 }, /'tokenizer\.ggml\.bos_token_id': id 99999 is outside the vocabulary/],
      [{ 'tokenizer.ggml.add_bos_token': true, 'tokenizer.ggml.bos_token_id': undefined }, /add_bos_token'.*no bos_token_id/],
    ];
    for (const [over, re] of cases) assert.throws(() => ggufTokenizerToJson(miniMeta(over)), re);
  });

  it('refuses an unloadable tokenizer.json and out-of-range ids by name', () => {
    assert.throws(() => Tokenizer.fromJson([]), /tokenizer\.json: not a JSON object/);
    assert.throws(() => Tokenizer.fromJson({}), /has no 'model' object/);
    const tk = Tokenizer.fromJson(ggufTokenizerToJson(miniMeta()));
    assert.throws(() => tk.decode([3, 100000]), /decode: ids\[1\] = 100000 is not a token id/);
  });
});
