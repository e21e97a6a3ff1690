import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Subject, toArray, firstValueFrom } from 'rxjs';
import { assembleStage } from '../../src/stages/assemble.ts';
import { Counters } from '../../src/stages/counters.ts';
import { defaultMethodConfig } from '../../src/config/method-config.ts';
import { defaultStageConfig } from '../../src/stages/stage-config.ts';
import { REASON_HEADER, STAGE_HEADER } from '../../src/stages/stage-ids.ts';
import { envelope, type Envelope } from '../../src/domain/envelope.ts';
import { failed, ok, type Outcome } from '../../src/domain/outcome.ts';
import type { AssembledSequence, Chunk, VerifiedDocument } from '../../src/domain/document.ts';
import { ToyScorer } from './fakes/toy-scorer.ts';

const words = (prefix: string, n: number): string => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

async function verified(scorer: ToyScorer, id: string, rootWords: number, contexts: number[]): Promise<VerifiedDocument> {
  const text = words(`${id}-w`, rootWords);
  const [tokenIds] = await scorer.tokenize([text]);
  const keptChunks: Chunk[] = contexts.map((n, i) => ({ chunkId: `src${i}#${id}`, docId: `src${i}`, text: words(`${id}-c${i}-`, n) }));
  return {
    selected: { scored: { doc: { id, text }, tokenIds: tokenIds!, entropies: tokenIds!.map(() => 1), model: 'toy' }, threshold: 0, meanEntropy: 0, stdEntropy: 0, positions: [] },
    keptChunks,
    verifications: keptChunks.map((c, i) => ({ position: 10 + i, chunkId: c.chunkId, entropyBefore: 2, entropyAfter: 0.5, informationGain: 0.75, kept: true })),
    forwardedTokens: 0,
    naiveTokens: 0,
  };
}

test('assemble: sequences leave as soon as they are full, the last one on completion', async () => {
  const scorer = new ToyScorer();
  const counters = new Counters();
  const input = new Subject<Envelope<Outcome<VerifiedDocument>>>();
  const seen: Envelope<Outcome<AssembledSequence>>[] = [];
  const done = firstValueFrom(input.pipe(
    assembleStage({ scorer }, { method: { ...defaultMethodConfig, targetTokens: 50 }, stage: { ...defaultStageConfig, includeTokenIds: true } }, { counters }),
    toArray(),
  ));
  const live = input.pipe(assembleStage({ scorer }, { method: { ...defaultMethodConfig, targetTokens: 50 }, stage: defaultStageConfig }, { counters: new Counters() }));
  const sub = live.subscribe((e) => seen.push(e));
  const send = async (v: VerifiedDocument): Promise<void> => {
    input.next(envelope(v.selected.scored.doc.id, ok(v)));
    await new Promise((r) => setTimeout(r, 5));
  };
  await send(await verified(scorer, 'a', 10, [5])); // 5+1+10 = 16
  assert.equal(seen.length, 0);
  await send(await verified(scorer, 'b', 20, [])); // 16+1+20 = 37
  assert.equal(seen.length, 0);
  await send(await verified(scorer, 'c', 20, [3])); // overflow → first sequence leaves
  assert.equal(seen.length, 1);
  input.next(envelope('bad', failed(new Error('upstream'))));
  input.complete();
  const out = await done;
  sub.unsubscribe();
  assert.deepEqual(out.map((e) => [e.key, e.value.kind]), [['seq-0', 'ok'], ['bad', 'failed'], ['seq-1', 'ok']]);
  const first = (out[0]!.value as { value: AssembledSequence }).value;
  assert.deepEqual(first.segments.map((s) => [s.kind, s.chunkId ?? s.docId, s.tokenStart, s.tokenEnd]), [['context', 'src0#a', 0, 5], ['root', 'a', 6, 16], ['root', 'b', 17, 37]]);
  assert.equal(first.text, [words('a-c0-', 5), words('a-w', 10), words('b-w', 20)].join('\n\n'));
  assert.equal(first.tokenIds?.length, 37);
  assert.deepEqual(first.segments[0]!.dependencies, [{ position: 10, informationGain: 0.75 }]);
  assert.equal(counters.get('assemble', 'sequences'), 2);
  assert.equal(counters.get('assemble', 'ok'), 3);
});

test('assemble: a unit over the target is cut at the front of its contexts and rendered from the kept tokens', async () => {
  const scorer = new ToyScorer();
  const counters = new Counters();
  const doc = await verified(scorer, 'big', 10, [30]); // 30+1+10 = 41 > 30 → cut 11 tokens of the context
  const subject = new Subject<Envelope<Outcome<VerifiedDocument>>>();
  const done = firstValueFrom(subject.pipe(assembleStage({ scorer }, { method: { ...defaultMethodConfig, targetTokens: 30 }, stage: defaultStageConfig }, { counters }), toArray()));
  subject.next(envelope('big', ok(doc)));
  subject.complete();
  const [only] = await done;
  const s = (only!.value as { value: AssembledSequence }).value;
  assert.equal(s.tokenCount, 30);
  assert.equal(s.segments[0]!.truncatedTokens, 11);
  assert.ok(s.text.startsWith(`big-c0-11 big-c0-12`), s.text.slice(0, 40));
  assert.equal(counters.get('assemble', 'tokens_truncated'), 11);
});

test('assemble: a root longer than the target is dropped with its reason', async () => {
  const scorer = new ToyScorer();
  const counters = new Counters();
  const subject = new Subject<Envelope<Outcome<VerifiedDocument>>>();
  const done = firstValueFrom(subject.pipe(assembleStage({ scorer }, { method: { ...defaultMethodConfig, targetTokens: 5 }, stage: defaultStageConfig }, { counters }), toArray()));
  subject.next(envelope('long', ok(await verified(scorer, 'long', 6, []))));
  subject.complete();
  const out = await done;
  assert.deepEqual(out.map((e) => [e.key, e.value.kind, e.headers?.[STAGE_HEADER], e.headers?.[REASON_HEADER]]), [['long', 'dropped', 'assemble', 'root_longer_than_target']]);
  assert.equal(counters.get('assemble', 'dropped_root_longer_than_target'), 1);
});
