/** Where a message came from, when it came from Kafka (absent in one-process runs). */
export interface SourceCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * A message moving between stages: the value plus what is needed to route, dead-letter and
 * commit it. `key` is the document id; `raw` keeps the original bytes for the dead-letter topic.
 */
export interface Envelope<T> {
  readonly key: string;
  readonly value: T;
  readonly source?: SourceCoordinates;
  readonly raw?: Buffer | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

export const envelope = <T>(key: string, value: T, from?: Omit<Envelope<unknown>, 'key' | 'value'>): Envelope<T> => ({
  ...(from ?? {}),
  key,
  value,
});
