import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertGgufToOnnx } from '../../src/models/llama/index.ts';
import { convertBertToOnnx } from '../../src/models/bert/convert.ts';
import { OnnxScorer } from '../../src/models/runtime/onnx-scorer.ts';
import { OnnxEmbedder } from '../../src/models/embedder/index.ts';
import { MemoryVectorIndex } from '../../src/vector/memory-index.ts';
import { runOneProcess } from '../../src/services/one-process-run.ts';
import { defaultMethodConfig } from '../../src/config/method-config.ts';
import { defaultStageConfig } from '../../src/stages/stage-config.ts';
import { defaultRunConfig } from '../../src/config/run-config.ts';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { TINY_LLAMA_GGUF } from '../fixtures/tiny-llama/make-tiny-llama.ts';
import { ByteTokenizedScorer } from './fakes/byte-tokenized-scorer.ts';

// The whole one-process run on real ONNX models (tiny random-weight fixtures: a llama converted
// from GGUF and a BERT converted from safetensors), so it runs in seconds without network.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const dir = await mkdtemp(join(tmpdir(), 'entropylong-run-'));
await convertGgufToOnnx(TINY_LLAMA_GGUF, join(dir, 'llama.onnx'), { weights: 'float32' });
await convertBertToOnnx(join(fixtures, 'tiny-bert'), join(dir, 'bert.onnx'));
const scorer = new ByteTokenizedScorer(await OnnxScorer.open({
  modelPath: join(dir, 'llama.onnx'), tokenizerPath: join(fixtures, 'reference', 'tokenizer.json'),
  modelId: 'tiny-llama', contextLength: 256, intraOpThreads: 1,
}));
const embedder = await OnnxEmbedder.open({
  modelPath: join(dir, 'bert.onnx'), tokenizerPath: join(fixtures, 'tiny-bert', 'tokenizer.json'),
  modelId: 'tiny-bert', dimension: 16, maxTokens: 12, intraOpThreads: 1,
});
after(async () => {
  await scorer.close();
  await embedder.close();
});

const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran', 'fast', 'big', 'red', 'hello', 'world', 'good'];
const paragraph = (seed: number, n: number): string =>
  Array.from({ length: n }, (_, i) => words[(seed * 7 + i * i * 3 + i) % words.length]).join(' ');
const goodDocs = Array.from({ length: 5 }, (_, d) => ({ id: `doc-${d}`, text: `${paragraph(d, 30)}\n\n${paragraph(d + 11, 25)}`, url: `https://example.org/${d}` }));
const inputLines = [
  ...goodDocs.slice(0, 2).map((d) => JSON.stringify(d)),
  '{"id": "broken", "text": ',
  JSON.stringify({ id: 'blank', text: '  \n ' }),
  JSON.stringify({ text: 'no id here' }),
  ...goodDocs.slice(2).map((d) => JSON.stringify(d)),
];
const input = join(dir, 'input.jsonl');
await writeFile(input, inputLines.join('\n') + '\n');

const method = { ...defaultMethodConfig, alpha: 0.5, minPosition: 4, topK: 4, epsilon: 0.05, targetTokens: 2048, chunkMaxChars: 120, scoringWindow: 256, scoringStride: 128, verifyWindow: 256 };

async function runOnce(name: string) {
  const run = { ...defaultRunConfig, input, out: join(dir, `${name}.jsonl`), quiet: true };
  const result = await runOneProcess({ scorer, embedder, index: new MemoryVectorIndex() }, method, defaultStageConfig, run);
  return { result, bytes: await readFile(run.out), rejects: await readFile(result.rejectsPath, 'utf8') };
}

test('one-process run: bad records rejected with reasons, the rest assembled with provenance, byte-identical on a rerun', async () => {
  const first = await runOnce('first');
  const second = await runOnce('second');
  assert.ok(first.bytes.length > 0);
  assert.ok(first.bytes.equals(second.bytes), 'same input, config and models give byte-identical output');

  assert.deepEqual(first.result.inputRejects, { invalid_json: 1, empty_text: 1, missing_field: 1 });
  const rejectLines = first.rejects.trim().split('\n').map((l) => JSON.parse(l) as { stage: string; reason: string; record: number });
  assert.deepEqual(rejectLines.map((r) => [r.stage, r.reason, r.record]), [['read', 'invalid_json', 3], ['read', 'empty_text', 4], ['read', 'missing_field', 5]]);

  const s = first.result.summary;
  assert.equal(s.documentsIn, 5);
  assert.equal(s.documentsAssembled, 5);
  assert.ok(s.positionsPerDocument > 0 && s.dependenciesPerDocument > 0, 'the fixture exercises selection and verification');
  assert.ok(s.forwardedTokens > 0 && s.naiveTokens >= s.forwardedTokens);
  const sequences = first.bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { token_count: number; segments: { kind: string; doc_id: string; chunk_id: string | null; dependencies: unknown[] }[] });
  const roots = sequences.flatMap((q) => q.segments.filter((g) => g.kind === 'root').map((g) => g.doc_id)).sort();
  assert.deepEqual(roots, goodDocs.map((d) => d.id), 'every admitted document appears once as a root');
  for (const q of sequences) {
    assert.ok(q.token_count <= method.targetTokens);
    for (const [i, g] of q.segments.entries()) {
      if (g.kind !== 'context') continue;
      assert.ok(g.chunk_id !== null && g.dependencies.length > 0, 'a context carries its chunk id and the positions it was verified at');
      const root = q.segments.slice(i).find((x) => x.kind === 'root');
      assert.notEqual(g.chunk_id.split('#')[0], root?.doc_id, 'a document never gets its own chunk as context');
    }
  }
});

test('one-process run: Parquet output holds the same sequences, with token ids when asked', async () => {
  const jsonl = await runOnce('for-parquet');
  const run = { ...defaultRunConfig, input, out: join(dir, 'out.parquet'), quiet: true };
  const result = await runOneProcess({ scorer, embedder, index: new MemoryVectorIndex() }, method, { ...defaultStageConfig, includeTokenIds: true }, run);
  const rows = await parquetReadObjects({ file: await asyncBufferFromFile(result.outPath) });
  const expected = jsonl.bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { sequence_id: string; text: string; token_count: number; segments: unknown });
  assert.equal(rows.length, expected.length);
  rows.forEach((row, i) => {
    const want = expected[i]!;
    assert.equal(row.sequence_id, want.sequence_id);
    assert.equal(row.text, want.text);
    assert.deepEqual(typeof row.segments === 'string' ? JSON.parse(row.segments) : row.segments, want.segments);
    const ids = typeof row.token_ids === 'string' ? JSON.parse(row.token_ids) as number[] : row.token_ids as number[];
    assert.equal(ids.length, want.token_count);
  });
});
