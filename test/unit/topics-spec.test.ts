import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topicSpecFrom, withPrefix } from '../../src/topics/topic-spec.ts';
import { parseDuration, parseSize } from '../../src/topics/quantities.ts';

const valid = {
  name: 'entropylong.documents.raw', partitions: 3, replication: 1, retention: '7d', cleanupPolicy: 'delete',
  compression: 'gzip', maxMessageSize: '8MiB', valueSubject: 'entropylong.documents.raw-value', valueSchema: 'raw-document.avsc',
  producedBy: ['external'], consumedBy: ['score'],
};

test('a valid topic file resolves quantities to Kafka units', () => {
  const r = topicSpecFrom('topics/x.yaml', valid);
  assert.ok('spec' in r);
  assert.equal(r.spec.retentionMs, 7 * 86_400_000);
  assert.equal(r.spec.maxMessageBytes, 8 * 1024 * 1024);
  assert.deepEqual(r.spec.consumedBy, ['score']);
});

for (const [field, value, pattern] of [
  ['partitions', 0, /field 'partitions' must be a positive integer/],
  ['partitions', '3', /field 'partitions' must be a positive integer/],
  ['retention', '7 days', /field 'retention' must be a duration/],
  ['cleanupPolicy', 'compacted', /field 'cleanupPolicy' must be one of delete \| compact/],
  ['compression', 'brotli', /field 'compression' must be one of/],
  ['maxMessageSize', '8 parsecs', /field 'maxMessageSize' must be a size/],
  ['name', 'bad topic!', /field 'name' must be 1-249 characters/],
  ['consumedBy', ['scorer'], /field 'consumedBy' must be a list of score \| select/],
  ['valueSchema', 'raw.json', /field 'valueSchema' must be the file name of an \.avsc/],
  ['retentoin', '1d', /field 'retentoin' is unknown/],
] as const) {
  test(`a bad '${field}' is named with the file`, () => {
    const r = topicSpecFrom('topics/x.yaml', { ...valid, [field]: value });
    assert.ok('problems' in r);
    assert.equal(r.problems.length, 1, r.problems.join('\n'));
    assert.match(r.problems[0] ?? '', /^topics\/x\.yaml: /);
    assert.match(r.problems[0] ?? '', pattern);
  });
}

test('missing fields are each named', () => {
  const { partitions: _p, valueSubject: _v, ...rest } = valid;
  const r = topicSpecFrom('t.yaml', rest);
  assert.ok('problems' in r);
  assert.deepEqual(r.problems, ["t.yaml: field 'partitions' is missing", "t.yaml: field 'valueSubject' is missing"]);
});

test('a file that is not a mapping is refused', () => {
  const r = topicSpecFrom('t.yaml', ['a']);
  assert.ok('problems' in r);
  assert.match(r.problems[0] ?? '', /^t\.yaml: expected a mapping/);
});

test('a prefix namespaces both the topic and the subject', () => {
  const r = topicSpecFrom('t.yaml', valid);
  assert.ok('spec' in r);
  const p = withPrefix(r.spec, 'test-1.');
  assert.equal(p.name, 'test-1.entropylong.documents.raw');
  assert.equal(p.valueSubject, 'test-1.entropylong.documents.raw-value');
});

test('durations and sizes', () => {
  assert.deepEqual(parseDuration('infinite'), { value: -1 });
  assert.deepEqual(parseDuration('500ms'), { value: 500 });
  assert.deepEqual(parseDuration('12h'), { value: 43_200_000 });
  assert.deepEqual(parseDuration(604800000), { value: 604800000 });
  assert.ok('problem' in parseDuration('0d'));
  assert.deepEqual(parseSize('512KiB'), { value: 524_288 });
  assert.deepEqual(parseSize(1000), { value: 1000 });
  assert.ok('problem' in parseSize('3GiB'));
});
