import { bufferTime, filter, map, type OperatorFunction, type SchedulerLike, asyncScheduler } from 'rxjs';

/**
 * Groups consecutive messages (possibly of different documents) into batches: a batch is sent
 * when it holds `maxSize` messages or `waitMs` after it was opened, whichever comes first, and
 * the partial batch is sent when the source completes. Order is kept. `maxSize` 1 sends every
 * message alone without waiting.
 */
export function batchAcross<T>(maxSize: number, waitMs: number, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<T, T[]> {
  if (maxSize <= 1) return map((value) => [value]);
  return (source) => source.pipe(
    bufferTime<T>(waitMs, null, maxSize, scheduler),
    filter((batch) => batch.length > 0),
  );
}
