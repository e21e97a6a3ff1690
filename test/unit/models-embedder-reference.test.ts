import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OnnxEmbedder, WordPieceEncoder } from '../../src/models/embedder/index.ts';
import { readManifest } from '../../src/models/manifest.ts';
import { resolveModelsDir } from '../../src/models/paths.ts';
import { modelPathsFrom, type EmbedderModel } from '../../src/models/prepare.ts';

interface Reference {
  readonly max_seq_length: number;
  readonly computed_by: Record<string, string>;
  readonly items: readonly { readonly text: string; readonly token_ids: readonly number[]; readonly embedding: readonly number[] }[];
}

const referencePath = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'embedder-reference', 'reference.json');
const reference = JSON.parse(await readFile(referencePath, 'utf8')) as Reference;

/** The prepared default embedder, or why the test cannot run here. */
async function preparedEmbedder(): Promise<EmbedderModel | string> {
  const dir = resolveModelsDir();
  try {
    return modelPathsFrom(dir, await readManifest(dir)).embedder;
  } catch (e) {
    return `no prepared embedder in ${dir} (${(e as Error).message}); run 'entropylong models prepare' to enable this test`;
  }
}
const model = await preparedEmbedder();
const skip = typeof model === 'string' ? model : false;

test('all-minilm-l6-v2 tokenization matches the Rust tokenizer of sentence-transformers', { skip }, async () => {
  const m = model as EmbedderModel;
  assert.equal(m.maxTokens, reference.max_seq_length);
  const encoder = await WordPieceEncoder.load(m.tokenizerPath, m.maxTokens);
  for (const item of reference.items) assert.deepEqual(encoder.encode(item.text), item.token_ids, JSON.stringify(item.text));
});

test('all-minilm-l6-v2 ONNX embeddings: cosine ≥ 0.999 to sentence-transformers for every sentence', { skip }, async () => {
  const m = model as EmbedderModel;
  const embedder = await OnnxEmbedder.open({ modelPath: m.onnxPath, tokenizerPath: m.tokenizerPath, modelId: m.name, dimension: m.dimension, maxTokens: m.maxTokens, maxBatchSize: 8 });
  try {
    const vectors = await embedder.embed(reference.items.map((i) => i.text));
    const cosines = reference.items.map((item, k) => {
      const v = vectors[k]!;
      let dot = 0;
      let nr = 0;
      for (let h = 0; h < v.length; h++) {
        dot += v[h]! * item.embedding[h]!;
        nr += item.embedding[h]! ** 2;
      }
      const nv = Math.hypot(...v);
      assert.ok(Math.abs(nv - 1) < 1e-4, `sentence ${k}: norm ${nv}`);
      return dot / (nv * Math.sqrt(nr));
    });
    const worst = Math.min(...cosines);
    const maxDiff = Math.max(...reference.items.map((item, k) => Math.max(...Array.from(vectors[k]!, (v, h) => Math.abs(v - item.embedding[h]!)))));
    console.log(`# embedder reference (${JSON.stringify(reference.computed_by)}): ${cosines.length} sentences, min cosine ${worst.toFixed(7)} (1 − min = ${(1 - worst).toExponential(2)}), max abs diff ${maxDiff.toExponential(2)}`);
    cosines.forEach((c, k) => assert.ok(c >= 0.999, `sentence ${k} ${JSON.stringify(reference.items[k]!.text.slice(0, 40))}: cosine ${c}`));
  } finally {
    await embedder.close();
  }
});
