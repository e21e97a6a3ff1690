import type { Chunk } from '../domain/document.ts';

/**
 * Splits text into pieces of at most `maxChars` characters (UTF-16 code units, never splitting a
 * surrogate pair), preferring sentence boundaries, then word boundaries, then a hard cut.
 */
function splitOverlong(text: string, maxChars: number): string[] {
  const sentences = text.split(/(?<=[.!?。！？]["')\]]*)\s+/u);
  const pieces: string[] = [];
  for (const sentence of sentences) {
    if (sentence.trim().length === 0) continue;
    if (sentence.trim().length <= maxChars) pieces.push(sentence.trim());
    else pieces.push(...splitWords(sentence.trim(), maxChars));
  }
  return mergeGreedy(pieces, ' ', maxChars);
}

function splitWords(text: string, maxChars: number): string[] {
  const out: string[] = [];
  for (const word of text.split(/\s+/u)) {
    if (word.length <= maxChars) {
      out.push(word);
      continue;
    }
    let rest = word;
    while (rest.length > maxChars) {
      let cut = maxChars;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    if (rest.length > 0) out.push(rest);
  }
  return mergeGreedy(out, ' ', maxChars);
}

/** Joins consecutive pieces with `joiner` while the result stays within `maxChars`. */
function mergeGreedy(pieces: readonly string[], joiner: string, maxChars: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current.length === 0) current = piece;
    else if (current.length + joiner.length + piece.length <= maxChars) current += joiner + piece;
    else {
      out.push(current);
      current = piece;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Paragraph-aligned chunks of one document (the NExtLong-style chunking of METHOD.md §3):
 * paragraphs are separated by blank lines; consecutive paragraphs are merged (joined by a blank
 * line) while the chunk stays within `maxChars`; a paragraph longer than `maxChars` is split at
 * sentence, then word boundaries (a single word longer than `maxChars` is cut). Whitespace-only
 * paragraphs are skipped. Chunk ids are `${docId}#${n}`, n counting from 0 in text order, so the
 * same text and limit always give the same ids.
 */
export function chunkDocument(docId: string, text: string, maxChars: number): Chunk[] {
  const paragraphs = text.replace(/\r\n?/gu, '\n').split(/\n[ \t]*\n/u).map((p) => p.trim()).filter((p) => p.length > 0);
  const pieces = paragraphs.flatMap((p) => (p.length <= maxChars ? [p] : splitOverlong(p, maxChars)));
  return mergeGreedy(pieces, '\n\n', maxChars).map((chunkText, n) => ({ chunkId: `${docId}#${n}`, docId, text: chunkText }));
}
