import type { SourceCoordinates } from './envelope.ts';

/**
 * A message a stage could not process, as the dead-letter topic holds it: the original bytes
 * untouched, what failed and where the message came from. The same facts travel as headers.
 */
export interface DeadLetter {
  /** Stage id (see stage-ids.ts), or another component's stable id. */
  readonly stage: string;
  /** Stable reason id, counted as failed_<reason> / dropped_<reason>. */
  readonly reason: string;
  readonly error: string;
  readonly retriable: boolean;
  readonly source?: SourceCoordinates | null;
  readonly key?: string | null;
  /** The original message value, byte for byte (it may itself be Avro with a schema id). */
  readonly originalValue?: Uint8Array | null;
  /** Milliseconds since the epoch. */
  readonly failedAt: number;
}
