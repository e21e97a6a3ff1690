import { test } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import { compatibilityProblems } from '../../src/serde/schema-compatibility.ts';
import { loadSchemaFile } from '../../src/serde/schema-files.ts';

const record = (fields: object[], extra: object = {}): avro.Type => avro.Type.forSchema({ type: 'record', name: 'entropylong.T', fields, ...extra } as avro.Schema);
const base = [
  { name: 'id', type: 'string' },
  { name: 'url', type: ['null', 'string'], default: null },
  { name: 'count', type: 'int' },
  { name: 'kind', type: { type: 'enum', name: 'entropylong.Kind', symbols: ['context', 'root'] } },
  { name: 'spans', type: { type: 'array', items: { type: 'record', name: 'entropylong.Span', fields: [{ name: 'start', type: 'int' }] } } },
];
const old = record(base);
const change = (name: string, replacement: object | undefined): avro.Type =>
  record(replacement === undefined ? base.filter((f) => f.name !== name) : base.map((f) => (f.name === name ? replacement : f)));

test('an identical schema has no problems at any level', () => {
  for (const level of ['BACKWARD', 'FORWARD', 'FULL'] as const) assert.deepEqual(compatibilityProblems(old, old, level), []);
});

test('BACKWARD: a field added without a default is named', () => {
  const next = record([...base, { name: 'lang', type: 'string' }]);
  assert.deepEqual(compatibilityProblems(next, old, 'BACKWARD'), ["field 'lang' was added without a default"]);
  assert.deepEqual(compatibilityProblems(record([...base, { name: 'lang', type: 'string', default: 'en' }]), old, 'BACKWARD'), []);
});

test('BACKWARD allows removing a field; FORWARD names a field removed without a default', () => {
  const next = change('id', undefined);
  assert.deepEqual(compatibilityProblems(next, old, 'BACKWARD'), []);
  assert.deepEqual(compatibilityProblems(next, old, 'FORWARD'), ["field 'id' was removed without a default"]);
  assert.deepEqual(compatibilityProblems(change('url', undefined), old, 'FULL'), []);
});

test('a type change is named with both types; a promotion is allowed', () => {
  assert.deepEqual(compatibilityProblems(change('count', { name: 'count', type: 'string' }), old, 'BACKWARD'), ["field 'count' changed type from int to string"]);
  assert.deepEqual(compatibilityProblems(change('count', { name: 'count', type: 'long' }), old, 'BACKWARD'), []);
  assert.deepEqual(compatibilityProblems(change('count', { name: 'count', type: 'long' }), old, 'FORWARD'), ["field 'count' changed type from int to long"]);
});

test('making an optional field required is refused, the other way round is allowed', () => {
  const required = change('url', { name: 'url', type: 'string' });
  assert.match(compatibilityProblems(required, old, 'BACKWARD')[0] ?? '', /^field 'url' changed type from null \| string to string/);
  assert.deepEqual(compatibilityProblems(change('id', { name: 'id', type: ['null', 'string'], default: null }), old, 'BACKWARD'), []);
});

test('enum symbols: removing one breaks BACKWARD, adding one breaks FORWARD', () => {
  const fewer = change('kind', { name: 'kind', type: { type: 'enum', name: 'entropylong.Kind', symbols: ['root'] } });
  assert.deepEqual(compatibilityProblems(fewer, old, 'BACKWARD'), ["field 'kind' (enum entropylong.Kind) lost symbol 'context'"]);
  const more = change('kind', { name: 'kind', type: { type: 'enum', name: 'entropylong.Kind', symbols: ['context', 'root', 'filler'] } });
  assert.deepEqual(compatibilityProblems(more, old, 'BACKWARD'), []);
  assert.match(compatibilityProblems(more, old, 'FORWARD')[0] ?? '', /gained symbol 'filler'/);
});

test('nested fields are named by their path', () => {
  const next = change('spans', { name: 'spans', type: { type: 'array', items: { type: 'record', name: 'entropylong.Span', fields: [{ name: 'start', type: 'int' }, { name: 'end', type: 'int' }] } } });
  assert.deepEqual(compatibilityProblems(next, old, 'BACKWARD'), ["field 'spans[].end' was added without a default"]);
});

test('a renamed field with an alias is compatible', () => {
  const next = change('id', { name: 'doc_id', type: 'string', aliases: ['id'] });
  assert.deepEqual(compatibilityProblems(next, old, 'BACKWARD'), []);
});

test('the shipped raw-document schema: dropping url is BACKWARD-compatible, adding a required field is not', async () => {
  const { type } = await loadSchemaFile('schemas', 'raw-document.avsc');
  const schema = type.schema() as { fields: { name: string }[] };
  const withoutUrl = avro.Type.forSchema({ ...schema, fields: schema.fields.filter((f) => f.name !== 'url') } as avro.Schema);
  assert.deepEqual(compatibilityProblems(withoutUrl, type, 'BACKWARD'), []);
  const withRequired = avro.Type.forSchema({ ...schema, fields: [...schema.fields, { name: 'source', type: 'string' }] } as avro.Schema);
  assert.deepEqual(compatibilityProblems(withRequired, type, 'BACKWARD'), ["field 'source' was added without a default"]);
});
