import { bufferCount, bufferTime, filter, map, type OperatorFunction, type SchedulerLike, asyncScheduler } from 'rxjs';

/**
 * Groups consecutive messages (possibly of different documents) into batches; order is kept and
 * a partial batch is sent when the source completes.
 * - `waitMs` > 0: a batch is sent when it holds `maxSize` messages or when its timer (restarted
 *   each time a batch is sent) fires, whichever comes first — for live streams, where a batch
 *   must not wait for messages that may never come. Batch composition then depends on timing.
 * - `waitMs` 0: batches are cut by size only, so their composition (and any arithmetic that
 *   depends on it, such as padded model batches) is a function of the input order alone: the
 *   choice for reproducible runs over a finite input.
 * `maxSize` 1 sends every message alone, without waiting.
 */
export function batchAcross<T>(maxSize: number, waitMs: number, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<T, T[]> {
  if (maxSize <= 1) return map((value) => [value]);
  if (waitMs <= 0) return bufferCount<T>(maxSize);
  return (source) => source.pipe(
    bufferTime<T>(waitMs, null, maxSize, scheduler),
    filter((batch) => batch.length > 0),
  );
}
