/**
 * The result of processing one message in a stage. A per-message failure is a value, never a
 * stream error: `dropped` is a deliberate, counted decision (with a stable reason id), `failed` is
 * an error that the dead-letter topic receives (retriable or not, decided when it was created).
 */
export type Outcome<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'dropped'; readonly reason: string; readonly detail?: string }
  | { readonly kind: 'failed'; readonly error: Error; readonly retriable: boolean };

export const ok = <T>(value: T): Outcome<T> => ({ kind: 'ok', value });
export const dropped = <T = never>(reason: string, detail?: string): Outcome<T> =>
  detail === undefined ? { kind: 'dropped', reason } : { kind: 'dropped', reason, detail };
export const failed = <T = never>(error: Error, retriable = false): Outcome<T> => ({ kind: 'failed', error, retriable });

export const isOk = <T>(o: Outcome<T>): o is { kind: 'ok'; value: T } => o.kind === 'ok';
