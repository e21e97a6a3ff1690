import type { SourceCoordinates } from '../domain/index.ts';

export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Records to produce together, and the consumed messages they finish: once every record is
 * acknowledged, each of `completes` may be committed. A dropped message is a delivery with no
 * records; a packed sequence completes all the messages it was assembled from.
 */
export interface Delivery {
  readonly records: readonly OutgoingRecord[];
  readonly completes: readonly SourceCoordinates[];
}
