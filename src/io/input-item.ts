import type { RawDocument } from '../domain/document.ts';
import type { RejectReason } from '../domain/document-record.ts';

/** Where a record was read: the file and its 1-based line (JSONL) or 0-based row (Parquet). */
export interface RecordLocation {
  readonly file: string;
  readonly record: number | null;
}

export interface Reject {
  readonly location: RecordLocation;
  readonly reason: RejectReason;
  readonly detail: string;
  /** The original record (truncated), so nothing is lost silently. */
  readonly raw?: string;
}

export type InputItem =
  | { readonly kind: 'document'; readonly doc: RawDocument; readonly location: RecordLocation }
  | { readonly kind: 'reject'; readonly reject: Reject };
