import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readGgufMetadata } from '../../src/models/gguf/index.ts';
import { findPreparedScorer } from '../../src/models/runtime/prepared-scorer.ts';
import { ggufTokenizerToJson, Tokenizer } from '../../src/models/tokenizer/index.ts';
import { committedTokenizerPath, sha256File, tokenizationFixture } from './models-reference-fixtures.ts';

const fixture = tokenizationFixture();

describe('tokenization identical to llama.cpp (committed fixtures)', () => {
  it('has the fixtures', () => assert.ok(fixture, 'test/fixtures/reference/tokenization.json is missing: run make_reference.py'));

  it('gives llama.cpp’s ids (add_bos=false, special=false) on every text, and decodes back to llama.cpp’s bytes', async () => {
    if (fixture === undefined) return;
    const tk = await Tokenizer.fromFile(committedTokenizerPath);
    const mismatches: string[] = [];
    for (const t of fixture.texts) {
      const ids = tk.encode(t.text);
      if (JSON.stringify(ids) !== JSON.stringify(t.ids)) mismatches.push(`${t.name}: ours ${JSON.stringify(ids).slice(0, 200)} llama.cpp ${JSON.stringify(t.ids).slice(0, 200)}`);
      const decoded = Buffer.from(tk.decode(t.ids), 'utf8').toString('hex');
      if (decoded !== t.detokenized_utf8_hex) mismatches.push(`${t.name}: decode differs from llama.cpp's detokenize`);
    }
    assert.deepEqual(mismatches, [], `${mismatches.length} of ${fixture.texts.length} texts differ`);
  });

  it('converts the prepared GGUF into exactly the committed tokenizer.json', async (t) => {
    const found = await findPreparedScorer();
    if ('missing' in found || found.ggufPath === undefined) return t.skip(`no prepared scorer GGUF (${'missing' in found ? found.missing : 'entry has no gguf'})`);
    if (fixture !== undefined && (await sha256File(found.ggufPath)) !== fixture.provenance.gguf_sha256) {
      return t.skip(`prepared GGUF ${found.ggufPath} is not the fixture's (${fixture.provenance.gguf_file})`);
    }
    const json = ggufTokenizerToJson(await readGgufMetadata(found.ggufPath));
    assert.equal(JSON.stringify(json), readFileSync(committedTokenizerPath, 'utf8'));
  });
});
