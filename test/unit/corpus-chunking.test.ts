import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chunkDocument } from '../../src/corpus/chunking.ts';

const words = (s: string): string[] => s.split(/\s+/u).filter((w) => w.length > 0);

test('paragraphs are merged up to the limit, joined by a blank line, with stable ids', () => {
  const text = 'First paragraph.\n\nSecond one.\r\n\r\nThird paragraph is here.\n  \nFourth.';
  const chunks = chunkDocument('doc', text, 30);
  assert.deepEqual(chunks.map((c) => c.text), ['First paragraph.\n\nSecond one.', 'Third paragraph is here.', 'Fourth.']);
  assert.deepEqual(chunks.map((c) => c.chunkId), ['doc#0', 'doc#1', 'doc#2']);
  assert.ok(chunks.every((c) => c.docId === 'doc'));
});

test('an over-long paragraph splits at sentences, then words, then inside a word', () => {
  const chunks = chunkDocument('d', 'One short sentence. Another short one! A third? Yes.', 25);
  assert.deepEqual(chunks.map((c) => c.text), ['One short sentence.', 'Another short one!', 'A third? Yes.']);
  const wordy = chunkDocument('d', 'alpha beta gamma delta epsilon zeta eta theta', 12);
  assert.deepEqual(wordy.map((c) => c.text), ['alpha beta', 'gamma delta', 'epsilon zeta', 'eta theta']);
  const long = chunkDocument('d', 'x'.repeat(25), 10);
  assert.deepEqual(long.map((c) => c.text.length), [10, 10, 5]);
});

test('empty and whitespace-only text has no chunks', () => {
  assert.deepEqual(chunkDocument('d', '', 10), []);
  assert.deepEqual(chunkDocument('d', ' \n\n\t\n ', 10), []);
});

test('property: chunks within the limit, no word lost or reordered, no split surrogate pair', () => {
  const piece = fc.oneof(fc.constantFrom('. ', '! ', '\n\n', ' ', '\n', 'word', 'x'.repeat(40), '😀', 'Ünïcödé', '...'), fc.string({ maxLength: 15 }));
  fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 4, max: 80 }), (parts, max) => {
    const text = parts.join('');
    const chunks = chunkDocument('d', text, max);
    for (const c of chunks) {
      assert.ok(c.text.length <= max, `chunk of ${c.text.length} > ${max}`);
      assert.ok(c.text.trim().length > 0);
      assert.ok(!/[\ud800-\udbff]$/u.test(c.text) || /[\ud800-\udbff][\udc00-\udfff]$/u.test(c.text));
    }
    assert.equal(chunks.map((c) => words(c.text).join('')).join(''), words(text).join(''));
  }));
});
