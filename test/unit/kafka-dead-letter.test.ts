import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, from, toArray } from 'rxjs';
import { dropped, failed, ok, type DeadLetter, type Envelope, type Outcome } from '../../src/domain/index.ts';
import { DeadLetterPublisher, deadLetterHeaderNames, parseDeadLetterHeaders, reasonOf } from '../../src/kafka/dead-letter.ts';
import { routeOutcomes } from '../../src/kafka/route-outcomes.ts';
import { EntropyLongError } from '../../src/util/errors.ts';

// Unit-test stand-in for the registry codec: JSON instead of Avro, so no network is needed.
const fakeCodec = { serialize: async (_topic: string, v: DeadLetter): Promise<Buffer> => Buffer.from(JSON.stringify({ ...v, originalValue: v.originalValue ? [...v.originalValue] : null })) };
const publisher = new DeadLetterPublisher(fakeCodec, 'p.entropylong.dead-letter', () => 1_700_000_000_000);
const source = { topic: 'p.entropylong.candidates', partition: 2, offset: '41' };

test('a dead-letter record keeps the original bytes and carries stage, reason, error, retriable and source as headers', async () => {
  const original = Buffer.from([0, 0, 0, 0, 3, 9, 9]);
  const r = await publisher.record({ stage: 'verify', error: new EntropyLongError('ONNX session failed', { retriable: true }), retriable: true, key: 'doc-1', source, original });
  assert.equal(r.topic, 'p.entropylong.dead-letter');
  assert.equal(r.key, 'doc-1');
  assert.deepEqual(r.headers, {
    [deadLetterHeaderNames.stage]: 'verify', [deadLetterHeaderNames.reason]: 'entropy_long_error', [deadLetterHeaderNames.error]: 'ONNX session failed',
    [deadLetterHeaderNames.retriable]: 'true', 'entropylong.source.topic': source.topic, 'entropylong.source.partition': '2', 'entropylong.source.offset': '41',
  });
  const value = JSON.parse(r.value.toString()) as { originalValue: number[]; failedAt: number };
  assert.deepEqual(value.originalValue, [...original]);
  assert.equal(value.failedAt, 1_700_000_000_000);
  assert.deepEqual(parseDeadLetterHeaders(r.headers ?? {}), { stage: 'verify', reason: 'entropy_long_error', error: 'ONNX session failed', retriable: true, source });
});

test('reason ids: an own reason wins, else the class name in snake_case', () => {
  assert.equal(reasonOf(Object.assign(new Error('x'), { reason: 'too_few_tokens' })), 'too_few_tokens');
  assert.equal(reasonOf(new TypeError('x')), 'type_error');
  assert.equal(parseDeadLetterHeaders({}), undefined);
});

test('outcomes route to the topic, to nothing, or to the dead-letter topic, each completing its source', async () => {
  const env = (value: Outcome<Buffer>, offset: string): Envelope<Outcome<Buffer>> => ({ key: `k${offset}`, value, source: { ...source, offset }, raw: Buffer.from(`raw${offset}`) });
  const deliveries = await firstValueFrom(from([
    env(ok(Buffer.from('out')), '1'),
    env(dropped('empty_text'), '2'),
    env(failed(new Error('bad bytes'), false), '3'),
  ]).pipe(routeOutcomes({ stage: 'score', topic: 'p.entropylong.documents.scored', deadLetters: publisher }), toArray()));
  assert.deepEqual(deliveries.map((d) => d.completes.map((c) => c.offset)), [['1'], ['2'], ['3']]);
  assert.deepEqual(deliveries[0]?.records, [{ topic: 'p.entropylong.documents.scored', key: 'k1', value: Buffer.from('out') }]);
  assert.deepEqual(deliveries[1]?.records, []);
  const dl = deliveries[2]?.records[0];
  assert.equal(dl?.topic, 'p.entropylong.dead-letter');
  assert.equal(dl?.headers?.[deadLetterHeaderNames.stage], 'score');
  assert.equal(dl?.headers?.[deadLetterHeaderNames.retriable], 'false');
  assert.deepEqual((JSON.parse(dl?.value.toString() ?? '{}') as { originalValue: number[] }).originalValue, [...Buffer.from('raw3')]);
});
