import type { RawDocument } from './document.ts';

/** Why an input record was not admitted; stable ids, counted as `dropped_<reason>`. */
export type RejectReason =
  | 'invalid_json'
  | 'invalid_utf8'
  | 'not_an_object'
  | 'missing_field'
  | 'wrong_type'
  | 'empty_text'
  | 'document_too_long'
  | 'unreadable_file';

export type RecordCheck =
  | { readonly ok: true; readonly doc: RawDocument }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string };

const optionalString = (o: Record<string, unknown>, key: string): string | null | undefined | Error => {
  const v = o[key];
  if (v === undefined || v === null) return v;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  return new Error(`'${key}' must be a string, got ${typeof v}`);
};

const optionalNumber = (o: Record<string, unknown>, key: string): number | null | undefined | Error => {
  const v = o[key];
  if (v === undefined || v === null) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return new Error(`'${key}' must be a number, got ${typeof v}`);
};

/**
 * Admits one FineWeb / FineWeb-Edu shaped record (snake_case keys, as the data sets publish them)
 * as a RawDocument. `id` and `text` are required; text must have a non-whitespace character and
 * at most `maxChars` characters.
 */
export function checkDocumentRecord(value: unknown, maxChars: number): RecordCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not_an_object', detail: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}` };
  }
  const o = value as Record<string, unknown>;
  for (const key of ['id', 'text'] as const) {
    if (o[key] === undefined || o[key] === null) return { ok: false, reason: 'missing_field', detail: `field '${key}' is missing` };
  }
  const id = typeof o.id === 'number' || typeof o.id === 'bigint' ? String(o.id) : o.id;
  if (typeof id !== 'string' || id.length === 0) return { ok: false, reason: 'wrong_type', detail: `'id' must be a non-empty string` };
  if (typeof o.text !== 'string') return { ok: false, reason: 'wrong_type', detail: `'text' must be a string, got ${typeof o.text}` };
  if (o.text.trim().length === 0) return { ok: false, reason: 'empty_text', detail: `document '${id}' has no text` };
  if (o.text.length > maxChars) {
    return { ok: false, reason: 'document_too_long', detail: `document '${id}' has ${o.text.length} characters (limit ${maxChars}, --max-document-chars)` };
  }
  const fields = {
    url: optionalString(o, 'url'),
    date: optionalString(o, 'date'),
    dump: optionalString(o, 'dump'),
    language: optionalString(o, 'language'),
    languageScore: optionalNumber(o, 'language_score'),
    score: optionalNumber(o, 'score'),
    intScore: optionalNumber(o, 'int_score'),
    tokenCount: optionalNumber(o, 'token_count'),
    filePath: optionalString(o, 'file_path'),
  };
  const doc: Record<string, unknown> = { id, text: o.text };
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) return { ok: false, reason: 'wrong_type', detail: `document '${id}': ${v.message}` };
    if (v !== undefined) doc[k] = v;
  }
  return { ok: true, doc: doc as unknown as RawDocument };
}
