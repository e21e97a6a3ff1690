/**
 * The EntropyLong pipeline in one process (METHOD.md):
 *
 *   Envelope<RawDocument>
 *     → score     tokenize; H(x_t | x_<t) per token            (Scorer, batched across documents)
 *     → select    τ = μ + α·σ; positions; ±w query windows      (Scorer.detokenize)
 *     → retrieve  embed queries; top-K chunks of other docs;     (Embedder + VectorIndex, batched)
 *                 candidate planning (dedup, near duplicates)
 *     → verify    ΔI per (position, candidate), one pass per     (Scorer, passes batched by length
 *                 distinct candidate, identical to the naive       across documents)
 *                 decisions
 *     → assemble  seeded shuffle, pack units into sequences of ≤ targetTokens, provenance
 *   → Envelope<Outcome<AssembledSequence>>
 *
 * Every message is an Envelope<Outcome<…>>: a stage processes `ok` values and passes `dropped`
 * and `failed` ones through untouched, stamped with the stage id and reason in their headers
 * (STAGE_HEADER, REASON_HEADER), so the output holds every completed sequence (`ok`, key =
 * sequenceId) and every document that did not make it (key = document id). The output order is a
 * function of the input order only (stages re-order parallel work), so the same input, config
 * and models give the same output. The stream errors only for a broken process, never for one
 * message. The vector collection (`stage.collection`) must be indexed before documents arrive
 * (corpus/indexer.ts). Counters record per-stage in/ok/dropped_<reason>/failed and the method's
 * measures; `summarize` turns them into the run summary.
 *
 * The stages are push-based: each model stage holds at most modelConcurrency batches in flight
 * and queues the rest, so a caller that reads faster than the models work should pace its source
 * with pacedSource(items, maxInFlight, pipeline.settled$).
 */
import { map, Subject, type Observable, type OperatorFunction } from 'rxjs';
import type { Envelope } from '../domain/envelope.ts';
import { ok, type Outcome } from '../domain/outcome.ts';
import type { AssembledSequence, RawDocument } from '../domain/document.ts';
import type { Scorer } from '../ports/scorer.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { VectorIndex } from '../ports/vector-index.ts';
import { Counters } from './counters.ts';
import { scoreStage } from './score.ts';
import { selectStage } from './select.ts';
import { retrieveStage } from './retrieve.ts';
import { verifyStage } from './verify.ts';
import { assembleStage } from './assemble.ts';
import type { PipelineConfig, StageContext } from './stage-context.ts';

export interface PipelinePorts {
  readonly scorer: Scorer;
  readonly embedder: Embedder;
  readonly index: VectorIndex;
}

export interface Pipeline {
  readonly counters: Counters;
  /** Emits each input document's key once the last stage has taken it (see pacedSource). */
  readonly settled$: Observable<string>;
  readonly operator: OperatorFunction<Envelope<RawDocument>, Envelope<Outcome<AssembledSequence>>>;
  /** Subscribe to run; the returned observable completes after the last sequence is flushed. */
  run(input: Observable<Envelope<RawDocument>>): Observable<Envelope<Outcome<AssembledSequence>>>;
}

export function pipeline(ports: PipelinePorts, config: PipelineConfig, context: Partial<StageContext> = {}): Pipeline {
  const counters = context.counters ?? new Counters();
  const settled = new Subject<string>();
  const ctx: StageContext = {
    counters,
    ...(context.scheduler ? { scheduler: context.scheduler } : {}),
    onSettled: (key) => {
      context.onSettled?.(key);
      settled.next(key);
    },
  };
  const operator: OperatorFunction<Envelope<RawDocument>, Envelope<Outcome<AssembledSequence>>> = (source) => source.pipe(
    map((e): Envelope<Outcome<RawDocument>> => ({ ...e, value: ok(e.value) })),
    scoreStage(ports, config, ctx),
    selectStage(ports, config, ctx),
    retrieveStage(ports, config, ctx),
    verifyStage(ports, config, ctx),
    assembleStage(ports, config, ctx),
  );
  return { counters, settled$: settled.asObservable(), operator, run: (input) => input.pipe(operator) };
}
