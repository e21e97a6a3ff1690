import { concatMap, type OperatorFunction } from 'rxjs';
import type { Envelope, Outcome } from '../domain/index.ts';
import type { DeadLetterPublisher } from './dead-letter.ts';
import type { Delivery } from './outgoing.ts';

export interface RouteOptions {
  /** Stage id, written to the dead-letter header `entropylong.stage`. */
  readonly stage: string;
  /** Topic for `ok` values. */
  readonly topic: string;
  readonly deadLetters: DeadLetterPublisher;
}

/**
 * Turns a stage's encoded outcomes into deliveries (the Bytewax oks/errs split as data):
 * `ok` → one record to `topic`; `dropped` → no record (the stage counted it); `failed` → one
 * dead-letter record keeping the consumed bytes. Each delivery completes the envelope's source.
 */
export function routeOutcomes(options: RouteOptions): OperatorFunction<Envelope<Outcome<Buffer>>, Delivery> {
  return concatMap(async (env): Promise<Delivery> => {
    const completes = env.source ? [env.source] : [];
    const o = env.value;
    switch (o.kind) {
      case 'ok':
        return { records: [{ topic: options.topic, key: env.key, value: o.value }], completes };
      case 'dropped':
        return { records: [], completes };
      case 'failed': {
        const record = await options.deadLetters.record({
          stage: options.stage, error: o.error, retriable: o.retriable, key: env.key,
          ...(env.source ? { source: env.source } : {}), ...(env.raw ? { original: env.raw } : {}),
        });
        return { records: [record], completes };
      }
    }
  });
}
