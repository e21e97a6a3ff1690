import { mergeMap, type OperatorFunction } from 'rxjs';
import { envelope, type Envelope } from '../domain/envelope.ts';
import { failed, type Outcome } from '../domain/outcome.ts';
import { EntropyLongError, errorMessage } from '../util/errors.ts';
import { batchAcross } from './batch-across.ts';
import { orderedMergeMap } from './ordered-merge-map.ts';
import { REASON_HEADER, STAGE_HEADER, type StageId } from './stage-ids.ts';
import type { StageContext } from './stage-context.ts';

export interface BatchingOptions {
  /** Messages per batch (1: no batching). */
  readonly batchSize: number;
  readonly batchWaitMs: number;
  /** Batches processed at once; output order is input order regardless. */
  readonly concurrency: number;
}

/** Returns the envelope with its outcome, marking a non-ok outcome with the stage and reason. */
export function stamp<In, Out>(stage: StageId, from: Envelope<In>, outcome: Outcome<Out>): Envelope<Outcome<Out>> {
  if (outcome.kind === 'ok') return envelope(from.key, outcome, from);
  const reason = outcome.kind === 'dropped' ? outcome.reason : errorMessage(outcome.error);
  return envelope(from.key, outcome, { ...from, headers: { ...(from.headers ?? {}), [STAGE_HEADER]: stage, [REASON_HEADER]: reason } });
}

/** Counts one outcome under the stage: ok, dropped_<reason> or failed. */
export function countOutcome(context: StageContext, stage: StageId, outcome: Outcome<unknown>): void {
  context.counters.add(stage, outcome.kind === 'dropped' ? `dropped_${outcome.reason}` : outcome.kind);
}

/** A failure of a whole batch (a model call, an index call) as the outcome of one message. */
export function failureOf<T>(error: unknown): Outcome<T> {
  const e = error instanceof Error ? error : new Error(String(error));
  return failed(e, e instanceof EntropyLongError ? e.retriable : false);
}

/**
 * The common shape of a one-in-one-out stage: non-ok inputs pass through untouched; ok inputs
 * are grouped into batches (across documents) and handed to `process`, which returns one outcome
 * per value in the same order. If `process` throws, every message of that batch fails with the
 * error (retriable as the error says). Output order is input order; the stream never errors
 * because of one message.
 */
export function outcomeStage<In, Out>(
  stage: StageId,
  context: StageContext,
  options: BatchingOptions,
  process: (values: readonly In[], envelopes: readonly Envelope<Outcome<In>>[]) => Promise<Outcome<Out>[]>,
): OperatorFunction<Envelope<Outcome<In>>, Envelope<Outcome<Out>>> {
  const runBatch = async (batch: readonly Envelope<Outcome<In>>[]): Promise<Envelope<Outcome<Out>>[]> => {
    const okEnvelopes = batch.filter((e) => e.value.kind === 'ok');
    const values = okEnvelopes.map((e) => (e.value as { value: In }).value);
    context.counters.add(stage, 'in', values.length);
    let outcomes: Outcome<Out>[];
    const started = performance.now();
    try {
      outcomes = values.length === 0 ? [] : await process(values, okEnvelopes);
      if (outcomes.length !== values.length) throw new Error(`stage ${stage} produced ${outcomes.length} outcomes for ${values.length} messages`);
    } catch (error) {
      outcomes = values.map(() => failureOf<Out>(error));
    }
    context.counters.addBusy(stage, performance.now() - started);
    let next = 0;
    return batch.map((e) => {
      if (e.value.kind !== 'ok') return e as unknown as Envelope<Outcome<Out>>;
      const outcome = outcomes[next++] as Outcome<Out>;
      countOutcome(context, stage, outcome);
      return stamp(stage, e, outcome);
    });
  };
  return (source) => source.pipe(
    batchAcross<Envelope<Outcome<In>>>(options.batchSize, options.batchWaitMs, context.scheduler),
    orderedMergeMap(runBatch, options.concurrency),
    mergeMap((envelopes) => envelopes),
  );
}
