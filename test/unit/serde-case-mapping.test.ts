import { test } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import { camelToSnake, fromAvro, snakeToCamel, toAvro } from '../../src/serde/case-mapping.ts';

const type = avro.Type.forSchema({
  type: 'record', name: 'T', fields: [
    { name: 'doc_id', type: 'string' },
    { name: 'original_value', type: ['null', 'bytes'], default: null },
    { name: 'header_map', type: { type: 'map', values: 'string' } },
    { name: 'spans', type: { type: 'array', items: { type: 'record', name: 'Span', fields: [{ name: 'token_start', type: 'int' }] } } },
  ],
} as avro.Schema);

test('names convert both ways', () => {
  assert.equal(camelToSnake('languageScore'), 'language_score');
  assert.equal(snakeToCamel('int_score'), 'intScore');
  assert.equal(snakeToCamel(camelToSnake('queryTokenStart')), 'queryTokenStart');
});

test('record fields are renamed at every depth; map keys and values are left alone; Uint8Array becomes Buffer', () => {
  const bytes = new Uint8Array([1, 2, 3]);
  const domain = { docId: 'd', originalValue: bytes, headerMap: { some_key: 'keepMe', otherKey: 'x' }, spans: [{ tokenStart: 4 }] };
  const a = toAvro(type, domain) as Record<string, unknown>;
  assert.deepEqual(Object.keys(a), ['doc_id', 'original_value', 'header_map', 'spans']);
  assert.ok(Buffer.isBuffer(a.original_value));
  assert.deepEqual(a.header_map, { some_key: 'keepMe', otherKey: 'x' });
  assert.deepEqual(a.spans, [{ token_start: 4 }]);
  assert.ok(type.isValid(a));
  assert.deepEqual(fromAvro(type, type.fromBuffer(type.toBuffer(a))), { ...domain, originalValue: Buffer.from(bytes) });
});
