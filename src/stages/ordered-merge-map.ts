import { defer, from, last, map, mergeMap, type ObservableInput, type OperatorFunction } from 'rxjs';

/**
 * mergeMap with at most `concurrency` projections running, whose results are emitted in INPUT
 * order (a result waits until every earlier one has been emitted), so parallel work keeps the
 * output deterministic. Each projection must produce exactly one value (its last is taken; an
 * empty one is an error). Results completed ahead of a slow earlier one are held in memory.
 */
export function orderedMergeMap<T, R>(project: (value: T, index: number) => ObservableInput<R>, concurrency: number): OperatorFunction<T, R> {
  return (source) => defer(() => {
    const ready = new Map<number, R>();
    let nextToEmit = 0;
    return source.pipe(
      mergeMap((value, index) => from(project(value, index)).pipe(last(), map((result) => [index, result] as const)), concurrency),
      mergeMap(([index, result]) => {
        ready.set(index, result);
        const out: R[] = [];
        while (ready.has(nextToEmit)) {
          out.push(ready.get(nextToEmit) as R);
          ready.delete(nextToEmit);
          nextToEmit++;
        }
        return out;
      }),
    );
  });
}
