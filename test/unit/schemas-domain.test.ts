import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import avro from 'avsc';
import type {
  AssembledSequence, Chunk, DeadLetter, RawDocument, RetrievedDocument, ScoredDocument, SelectedDocument, VerifiedDocument,
} from '../../src/domain/index.ts';
import { fromAvro, toAvro } from '../../src/serde/case-mapping.ts';
import { messageKinds, type MessageKind } from '../../src/serde/message-kinds.ts';
import { loadSchemaFile } from '../../src/serde/schema-files.ts';

/**
 * Holds the TypeScript domain types and schemas/*.avsc together. Each fixture is typed with every
 * optional key made required, so adding a key to a domain type fails to compile here until the
 * fixture has it; the round trip then fails until the schema has it too. The reverse direction:
 * the Avro form of each fixture may hold no null, so every schema field maps to a domain key.
 */
type Full<T> = T extends readonly (infer U)[] ? readonly Full<U>[] : T extends Uint8Array ? T : T extends object ? { readonly [K in keyof T]-?: Full<Exclude<T[K], undefined | null>> } : T;

const raw: Full<RawDocument> = {
  id: '<urn:uuid:0b1c>', text: 'The mitochondrion is…', url: 'https://example.org/a', date: '2024-02-21T03:14:15Z', dump: 'CC-MAIN-2024-10',
  filePath: 's3://commoncrawl/crawl-data/x.warc.gz', language: 'en', languageScore: 0.97, score: 3.2, intScore: 3, tokenCount: 812,
};
const scored: Full<ScoredDocument> = { doc: raw, tokenIds: [1, 2, 30000], entropies: [3.5, 0.25, 7.125], model: 'smollm2-135m' };
const selected: Full<SelectedDocument> = {
  scored, threshold: 5.5, meanEntropy: 2.1, stdEntropy: 1.7,
  positions: [{ position: 2, entropy: 7.125, queryTokenStart: 0, queryTokenEnd: 3, queryText: 'The mitochondrion' }],
};
const chunk: Full<Chunk> = { chunkId: 'doc-9#3', docId: 'doc-9', text: 'Mitochondria make ATP.' };
const retrieved: Full<RetrievedDocument> = { selected, candidates: [{ position: 2, chunk, similarity: 0.83 }] };
const verified: Full<VerifiedDocument> = {
  selected, keptChunks: [chunk],
  verifications: [{ position: 2, chunkId: 'doc-9#3', entropyBefore: 7.125, entropyAfter: 2.5, informationGain: 0.649, kept: true }],
  forwardedTokens: 1234, naiveTokens: 98765,
};
const sequence: Full<AssembledSequence> = {
  sequenceId: 'seq-0001', text: 'Mitochondria make ATP. The mitochondrion is…', tokenCount: 9, tokenIds: [5, 6, 7, 8, 9, 1, 2, 3, 4],
  segments: [
    { kind: 'context', docId: 'doc-9', chunkId: 'doc-9#3', dependencies: [{ position: 2, informationGain: 0.649 }], tokenStart: 0, tokenEnd: 5, truncatedTokens: 1 },
    { kind: 'root', docId: '<urn:uuid:0b1c>', chunkId: 'none', dependencies: [], tokenStart: 5, tokenEnd: 9, truncatedTokens: 0 },
  ],
};
const deadLetter: Full<DeadLetter> = {
  stage: 'verify', reason: 'model_error', error: 'ONNX session failed', retriable: true,
  source: { topic: 'entropylong.candidates', partition: 2, offset: '9007199254740993' }, key: 'doc-9',
  originalValue: Buffer.from([0, 0, 0, 0, 7, 1, 2, 3]), failedAt: 1_764_806_400_000,
};

const fixtures: Record<keyof typeof messageKinds, unknown> = {
  rawDocument: raw, scoredDocument: scored, selectedDocument: selected, retrievedDocument: retrieved,
  verifiedDocument: verified, assembledSequence: sequence, chunk, deadLetter,
};

function nullPaths(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullPaths(v, `${path}[${i}]`));
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return Object.entries(value as object).flatMap(([k, v]) => nullPaths(v, `${path}.${k}`));
  return [];
}

for (const [name, kind] of Object.entries(messageKinds) as [keyof typeof messageKinds, MessageKind<unknown>][]) {
  test(`${kind.schemaFile} and the ${name} domain type describe the same fields`, async () => {
    const { type } = await loadSchemaFile('schemas', kind.schemaFile);
    const value = fixtures[name];
    const avroForm = toAvro(type, value);
    assert.deepEqual(nullPaths(avroForm), [], `schema fields with no domain key in ${kind.schemaFile}`);
    const decoded = type.fromBuffer(type.toBuffer(avroForm));
    assert.deepEqual(fromAvro(type, decoded), value);
  });
}

test('every schema file belongs to a message kind', () => {
  const files = readdirSync('schemas').filter((f) => f.endsWith('.avsc')).sort();
  assert.deepEqual(files, Object.values(messageKinds).map((k) => k.schemaFile).sort());
});

test('a named type defined in several schema files is defined the same everywhere', async () => {
  const seen = new Map<string, { file: string; canonical: string }>();
  for (const file of readdirSync('schemas').filter((f) => f.endsWith('.avsc'))) {
    const registry: Record<string, avro.Type> = {};
    avro.Type.forSchema(JSON.parse((await loadSchemaFile('schemas', file)).text) as avro.Schema, { registry });
    for (const [name, t] of Object.entries(registry)) {
      const canonical = JSON.stringify(t.schema());
      const before = seen.get(name);
      if (before) assert.equal(canonical, before.canonical, `${name} differs between ${before.file} and ${file}`);
      else seen.set(name, { file, canonical });
    }
  }
  assert.ok(seen.has('entropylong.RawDocument') && seen.has('entropylong.Chunk'));
});

test('absent optional fields travel as null and come back absent', async () => {
  const { type } = await loadSchemaFile('schemas', 'raw-document.avsc');
  const minimal: RawDocument = { id: 'a', text: 'b' };
  const back = fromAvro(type, type.fromBuffer(type.toBuffer(toAvro(type, minimal))));
  assert.deepEqual(back, minimal);
});

test('a reader schema with a new defaulted field fills the default for old data', async () => {
  const { type } = await loadSchemaFile('schemas', 'chunk.avsc');
  const old = { chunk_id: 'c', doc_id: 'd', text: 't' };
  const withExtra = avro.Type.forSchema({ ...(type.schema() as object), fields: [...(type.schema() as { fields: object[] }).fields, { name: 'char_start', type: 'int', default: -1 }] } as avro.Schema);
  assert.deepEqual(fromAvro(withExtra, old), { chunkId: 'c', docId: 'd', text: 't', charStart: -1 });
});
