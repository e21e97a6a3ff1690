import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, map, take, toArray } from 'rxjs';
import { ok, type Envelope, type Outcome } from '../../src/domain/index.ts';
import { createKafka, createProducer } from '../../src/kafka/kafka-client.ts';
import { kafkaSource } from '../../src/kafka/kafka-source.ts';
import { DeadLetterPublisher, deadLetterHeaderNames, parseDeadLetterHeaders } from '../../src/kafka/dead-letter.ts';
import { produceDeliveries } from '../../src/kafka/produce-deliveries.ts';
import { routeOutcomes } from '../../src/kafka/route-outcomes.ts';
import { loadCodecs, subjectsFromTopics } from '../../src/serde/codecs.ts';
import { createRegistryClient } from '../../src/serde/registry-client.ts';
import { registerSchemas } from '../../src/serde/schema-sync.ts';
import { applyTopics } from '../../src/topics/apply-topics.ts';
import { loadTopicSpecs } from '../../src/topics/load-topics.ts';
import { decodeWith } from '../../src/serde/codec-operators.ts';
import { cleanUp, collect, freshPrefix, requireStack, withAdmin } from './topics-fixture.ts';

const prefix = freshPrefix('dlq');
const rawTopic = `${prefix}entropylong.documents.raw`;
const scoredTopic = `${prefix}entropylong.documents.scored`;
const deadLetterTopic = `${prefix}entropylong.dead-letter`;
const { kafka } = createKafka();
const { client } = createRegistryClient();
const producer = createProducer(kafka);

before(async () => {
  await requireStack();
  await applyTopics({ dir: 'topics', prefix });
  await registerSchemas(client, { subjectPrefix: prefix });
  await producer.connect();
});
after(async () => {
  await producer.disconnect();
  client.close();
  await cleanUp(prefix);
});

test('a message a stage cannot decode is dead-lettered with its original bytes and headers, and its offset committed', async () => {
  const codecs = await loadCodecs(client, { subjectFor: subjectsFromTopics(await loadTopicSpecs('topics', prefix)) });
  const good = await codecs.rawDocument.serialize(rawTopic, { id: 'doc-1', text: 'A document.' });
  const garbage = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]);
  await producer.send({ topic: rawTopic, messages: [{ key: 'doc-1', value: good, partition: 0 }, { key: 'doc-2', value: garbage, partition: 0 }] });

  // A stand-in "score" stage: decode, and write the document id as its output.
  const groupId = `${prefix}score`;
  const source = kafkaSource(kafka, { groupId, topics: [rawTopic], commitIntervalMs: 0 });
  const deliveries: unknown[] = [];
  const run = source.messages$.pipe(
    decodeWith(codecs.rawDocument),
    map((env): Envelope<Outcome<Buffer>> => ({ ...env, value: env.value.kind === 'ok' ? ok(Buffer.from(env.value.value.id)) : env.value })),
    routeOutcomes({ stage: 'score', topic: scoredTopic, deadLetters: new DeadLetterPublisher(codecs.deadLetter, deadLetterTopic) }),
    produceDeliveries(producer, (s) => source.complete(s)),
  ).subscribe({ next: (d) => deliveries.push(d) });
  const deadline = Date.now() + 30_000;
  while (deliveries.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  run.unsubscribe();
  await source.stopped();
  assert.equal(deliveries.length, 2);

  const committed = await withAdmin(async (admin) => (await admin.fetchOffsets({ groupId, topics: [rawTopic] }))[0]?.partitions.find((p) => p.partition === 0)?.offset);
  assert.equal(committed, '2', 'both the good and the dead-lettered message are committed');

  const reader = kafkaSource(kafka, { groupId: `${prefix}reader`, topics: [deadLetterTopic] });
  const readerRun = collect(reader);
  const [letter] = await readerRun.waitFor(1);
  await readerRun.close();
  assert.ok(letter);
  assert.equal(letter.key, 'doc-2');
  const headers = parseDeadLetterHeaders(letter.headers ?? {});
  assert.equal(headers?.stage, 'score');
  assert.equal(headers?.retriable, false);
  assert.deepEqual(headers?.source, { topic: rawTopic, partition: 0, offset: '1' });
  assert.match(letter.headers?.[deadLetterHeaderNames.error] ?? '', /decoding a value from topic/);
  assert.ok((letter.headers?.[deadLetterHeaderNames.reason] ?? '') !== '');

  const record = await codecs.deadLetter.deserialize(deadLetterTopic, letter.value);
  assert.deepEqual(Buffer.from(record.originalValue ?? []), garbage, 'the original bytes, untouched');
  assert.deepEqual(record.source, { topic: rawTopic, partition: 0, offset: '1' });
  assert.equal(record.stage, 'score');
  assert.ok(Math.abs(record.failedAt - Date.now()) < 120_000);

  const scored = kafkaSource(kafka, { groupId: `${prefix}scored-reader`, topics: [scoredTopic] });
  const out = await firstValueFrom(scored.messages$.pipe(take(1), toArray()));
  await scored.stopped();
  assert.equal(out[0]?.value.toString(), 'doc-1');
});
