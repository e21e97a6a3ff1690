import type { DeadLetter, SourceCoordinates } from '../domain/index.ts';
import type { AvroCodec } from '../serde/avro-codec.ts';
import type { OutgoingRecord } from './outgoing.ts';

/** Header names on every dead-letter record; values are UTF-8 strings. */
export const deadLetterHeaderNames = {
  stage: 'entropylong.stage',
  reason: 'entropylong.reason',
  error: 'entropylong.error',
  retriable: 'entropylong.retriable',
  sourceTopic: 'entropylong.source.topic',
  sourcePartition: 'entropylong.source.partition',
  sourceOffset: 'entropylong.source.offset',
} as const;

/** Headers longer than this are cut (the full error is in the record's value). */
const maxErrorHeaderChars = 1_000;

/** A stable reason id for an error: its own `reason` when it has one, else its class name in snake_case. */
export function reasonOf(error: Error): string {
  const own = (error as { reason?: unknown }).reason;
  if (typeof own === 'string' && own !== '') return own;
  return error.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function deadLetterHeaders(d: DeadLetter): Record<string, string> {
  const h: Record<string, string> = {
    [deadLetterHeaderNames.stage]: d.stage,
    [deadLetterHeaderNames.reason]: d.reason,
    [deadLetterHeaderNames.error]: d.error.length > maxErrorHeaderChars ? `${d.error.slice(0, maxErrorHeaderChars)}…` : d.error,
    [deadLetterHeaderNames.retriable]: String(d.retriable),
  };
  if (d.source) {
    h[deadLetterHeaderNames.sourceTopic] = d.source.topic;
    h[deadLetterHeaderNames.sourcePartition] = String(d.source.partition);
    h[deadLetterHeaderNames.sourceOffset] = d.source.offset;
  }
  return h;
}

/** Reads the dead-letter headers back; undefined when the stage or reason header is missing. */
export function parseDeadLetterHeaders(headers: Readonly<Record<string, string>>): Omit<DeadLetter, 'originalValue' | 'key' | 'failedAt'> | undefined {
  const stage = headers[deadLetterHeaderNames.stage];
  const reason = headers[deadLetterHeaderNames.reason];
  if (stage === undefined || reason === undefined) return undefined;
  const topic = headers[deadLetterHeaderNames.sourceTopic];
  const partition = headers[deadLetterHeaderNames.sourcePartition];
  const offset = headers[deadLetterHeaderNames.sourceOffset];
  const source: SourceCoordinates | null = topic !== undefined && partition !== undefined && offset !== undefined ? { topic, partition: Number(partition), offset } : null;
  return { stage, reason, error: headers[deadLetterHeaderNames.error] ?? '', retriable: headers[deadLetterHeaderNames.retriable] === 'true', source };
}

export interface Failure {
  readonly stage: string;
  readonly error: Error;
  readonly retriable: boolean;
  readonly reason?: string;
  readonly key: string;
  readonly source?: SourceCoordinates;
  /** The bytes of the message as consumed. */
  readonly original?: Uint8Array;
}

export const deadLetterOf = (f: Failure, now: number): DeadLetter => ({
  stage: f.stage,
  reason: f.reason ?? reasonOf(f.error),
  error: f.error.message,
  retriable: f.retriable,
  source: f.source ?? null,
  key: f.key,
  originalValue: f.original ?? null,
  failedAt: now,
});

/**
 * Publishes failures to the dead-letter topic: the value is a DeadLetter record (schemas/
 * dead-letter.avsc) whose `original_value` holds the consumed bytes untouched, the headers carry
 * the same facts for tools that do not decode. The key is the original key.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly codec: Pick<AvroCodec<DeadLetter>, 'serialize'>,
    readonly topic: string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(failure: Failure): Promise<OutgoingRecord> {
    const letter = deadLetterOf(failure, this.now());
    return { topic: this.topic, key: failure.key, value: await this.codec.serialize(this.topic, letter), headers: deadLetterHeaders(letter) };
  }
}
