import { Observable } from 'rxjs';

/**
 * Backpressure for a push-based pipeline: emits items of `items` while fewer than `maxInFlight`
 * are unsettled; each emission of `settled` frees one slot (Pipeline.settled$ emits once per
 * document when the last stage has taken it). Reading stops when the subscriber unsubscribes; a
 * read error is a stream error (the input itself is broken).
 */
export function pacedSource<T>(items: AsyncIterable<T> | Iterable<T>, maxInFlight: number, settled: Observable<unknown>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let credits = maxInFlight;
    let wake: (() => void) | undefined;
    let stopped = false;
    const settledSubscription = settled.subscribe(() => {
      credits++;
      const w = wake;
      wake = undefined;
      w?.();
    });
    void (async () => {
      for await (const item of items) {
        while (credits <= 0 && !stopped) await new Promise<void>((resolve) => { wake = resolve; });
        if (stopped) return;
        credits--;
        subscriber.next(item);
      }
      subscriber.complete();
    })().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
      settledSubscription.unsubscribe();
      const w = wake;
      wake = undefined;
      w?.();
    };
  });
}
