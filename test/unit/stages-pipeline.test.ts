import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, from, tap, toArray } from 'rxjs';
import { pipeline } from '../../src/stages/pipeline.ts';
import { pacedSource } from '../../src/stages/paced-source.ts';
import { summarize } from '../../src/stages/summary.ts';
import { defaultMethodConfig, type MethodConfig } from '../../src/config/method-config.ts';
import { defaultStageConfig, type StageConfig } from '../../src/stages/stage-config.ts';
import { STAGE_HEADER, REASON_HEADER } from '../../src/stages/stage-ids.ts';
import { MemoryVectorIndex } from '../../src/vector/memory-index.ts';
import { indexCorpus } from '../../src/corpus/indexer.ts';
import { envelope, type Envelope } from '../../src/domain/envelope.ts';
import type { Outcome } from '../../src/domain/outcome.ts';
import type { AssembledSequence, RawDocument } from '../../src/domain/document.ts';
import { ToyScorer } from './fakes/toy-scorer.ts';
import { ToyEmbedder } from './fakes/toy-embedder.ts';
import { toyCorpus, toyRoots } from './fakes/toy-corpus.ts';

const method: MethodConfig = { ...defaultMethodConfig, alpha: 1, minPosition: 4, topK: 4, targetTokens: 1200, verifyWindow: 400, chunkMaxChars: 400 };
const stage: StageConfig = { ...defaultStageConfig, batchWaitMs: 1, scoreDocumentsPerBatch: 3, retrieveDocumentsPerBatch: 2, verifyDocumentsPerBatch: 2, verifyBatchSequences: 8, verifyBatchTokens: 2048, includeTokenIds: true };

async function run(roots: readonly RawDocument[], options: { scorer?: ToyScorer; method?: MethodConfig; stage?: StageConfig } = {}) {
  const scorer = options.scorer ?? new ToyScorer();
  const embedder = new ToyEmbedder(64);
  const index = new MemoryVectorIndex();
  const config = { method: options.method ?? method, stage: options.stage ?? stage };
  await indexCorpus(toyCorpus(3, 3, 4), { embedder, index }, { collection: config.stage.collection, chunkMaxChars: config.method.chunkMaxChars, embedBatchSize: config.stage.embedBatchSize });
  const p = pipeline({ scorer, embedder, index }, config);
  const out = await firstValueFrom(p.run(from(roots.map((d) => envelope(d.id, d)))).pipe(toArray()));
  return { out, counters: p.counters, scorer };
}

const printable = (out: readonly Envelope<Outcome<AssembledSequence>>[]): string => JSON.stringify(out.map((e) => ({
  key: e.key, headers: e.headers ?? {},
  value: e.value.kind === 'failed' ? { kind: 'failed', message: e.value.error.message, retriable: e.value.retriable } : e.value,
})));

test('pipeline: verified contexts before each root, packed within the target, with provenance', async () => {
  const roots = toyRoots(11, 3, 6);
  const { out, counters } = await run(roots);
  const summary = summarize(counters);
  const sequences = out.filter((e) => e.value.kind === 'ok').map((e) => (e.value as { value: AssembledSequence }).value);
  assert.equal(out.length, sequences.length, 'nothing dropped or failed');
  assert.equal(summary.documentsIn, 6);
  assert.equal(summary.documentsAssembled, 6);
  assert.ok(summary.positionsPerDocument > 0);
  assert.ok(summary.dependenciesPerDocument > 0, 'the toy model needs some contexts');
  assert.ok(summary.meanInformationGain > method.epsilon);
  assert.ok(summary.forwardedTokens > 0 && summary.naiveTokens > summary.forwardedTokens, JSON.stringify(summary));
  assert.deepEqual(Object.keys(summary.stageBusySeconds), ['assemble', 'retrieve', 'score', 'select', 'verify']);

  const rootsSeen = sequences.flatMap((s) => s.segments.filter((g) => g.kind === 'root').map((g) => g.docId));
  assert.deepEqual(rootsSeen, roots.map((r) => r.id), 'every root once, in input order');
  for (const s of sequences) {
    assert.ok(s.tokenCount <= method.targetTokens);
    assert.equal(s.tokenIds?.length, s.tokenCount);
    for (const g of s.segments) {
      if (g.kind !== 'context') continue;
      assert.ok(!g.docId.startsWith('root-') && g.chunkId?.startsWith(`${g.docId}#`));
      assert.ok((g.dependencies ?? []).length > 0 && g.dependencies!.every((d) => d.informationGain > method.epsilon));
    }
    const lastRoot = s.segments[s.segments.length - 1]!;
    assert.equal(lastRoot.kind, 'root', 'a sequence ends with a root');
  }
  assert.equal(counters.get('verify', 'kept_chunks'), counters.get('assemble', 'contexts') + counters.get('assemble', 'contexts_removed'));
});

test('pipeline: the same input gives byte-identical output, whatever the batching', async () => {
  const roots = toyRoots(5, 3, 5);
  const a = await run(roots);
  const b = await run(roots);
  const c = await run(roots, { stage: { ...stage, scoreDocumentsPerBatch: 1, verifyDocumentsPerBatch: 5, retrieveDocumentsPerBatch: 1, modelConcurrency: 3, verifyBatchSequences: 2 } });
  assert.equal(printable(a.out), printable(b.out));
  assert.equal(printable(a.out), printable(c.out));
  assert.deepEqual(a.counters.snapshot(), c.counters.snapshot());
});

test('pipeline: bad documents and a failing model call become values; the stream goes on', async () => {
  const roots = toyRoots(9, 3, 4);
  const poisoned: RawDocument = { id: 'poison', text: 'POISON pill words here and there and more words follow' };
  const input: RawDocument[] = [roots[0]!, { id: 'blank', text: '  \n\t ' }, poisoned, { id: 'one', text: 'single' }, roots[1]!, roots[2]!, roots[3]!];
  const probe = new ToyScorer();
  const [poisonIds] = await probe.tokenize(['POISON']);
  const scorer = new ToyScorer({ failOn: (batch) => batch.some((seq) => seq[0] === poisonIds![0]) });
  const { out, counters } = await run(input, { scorer, stage: { ...stage, scoreDocumentsPerBatch: 1 } });
  const byKey = new Map(out.map((e) => [e.key, e]));
  assert.equal(byKey.get('blank')?.value.kind, 'dropped');
  assert.equal(byKey.get('blank')?.headers?.[STAGE_HEADER], 'score');
  assert.equal(byKey.get('blank')?.headers?.[REASON_HEADER], 'empty_document');
  assert.equal(byKey.get('one')?.headers?.[REASON_HEADER], 'too_few_tokens');
  const failedPoison = byKey.get('poison');
  assert.equal(failedPoison?.value.kind, 'failed');
  assert.equal(failedPoison?.headers?.[STAGE_HEADER], 'score');
  assert.equal(counters.get('score', 'dropped_empty_document'), 1);
  assert.equal(counters.get('score', 'failed'), 1);
  assert.equal(counters.get('assemble', 'ok'), 4);
  assert.deepEqual(out.filter((e) => e.value.kind !== 'ok').map((e) => e.key), ['blank', 'poison', 'one'], 'rejects in input order');
});

test('pipeline: roots longer than the target are dropped before any model work beyond tokenizing', async () => {
  const roots = toyRoots(4, 3, 3);
  const { out, counters } = await run(roots, { method: { ...method, targetTokens: 100 } });
  assert.ok(out.every((e) => e.value.kind === 'dropped' && e.headers?.[REASON_HEADER] === 'root_longer_than_target'));
  assert.equal(counters.get('score', 'dropped_root_longer_than_target'), 3);
  assert.equal(counters.get('verify', 'in'), 0);
});

test('pipeline: minDependencies drops documents with too few verified contexts', async () => {
  const roots = toyRoots(4, 3, 3);
  const { out, counters } = await run(roots, { method: { ...method, minDependencies: 10_000 } });
  assert.equal(counters.get('verify', 'dropped_too_few_dependencies'), 3);
  assert.ok(out.every((e) => e.headers?.[STAGE_HEADER] === 'verify'));
});

test('pipeline: a paced source never has more than maxInFlight documents inside, and gives the same output', async () => {
  const roots = toyRoots(21, 3, 7);
  const reference = await run(roots);
  const scorer = new ToyScorer();
  const embedder = new ToyEmbedder(64);
  const index = new MemoryVectorIndex();
  await indexCorpus(toyCorpus(3, 3, 4), { embedder, index }, { collection: stage.collection, chunkMaxChars: method.chunkMaxChars, embedBatchSize: stage.embedBatchSize });
  const p = pipeline({ scorer, embedder, index }, { method, stage });
  let emitted = 0;
  let settled = 0;
  let peak = 0;
  p.settled$.subscribe(() => settled++);
  const source = pacedSource(roots.map((d) => envelope(d.id, d)), 2, p.settled$).pipe(tap(() => {
    emitted++;
    peak = Math.max(peak, emitted - settled);
  }));
  const out = await firstValueFrom(p.run(source).pipe(toArray()));
  assert.ok(peak <= 2, `peak in flight ${peak}`);
  assert.equal(settled, roots.length);
  assert.equal(printable(out), printable(reference.out));
});
