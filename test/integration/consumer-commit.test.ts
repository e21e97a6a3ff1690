import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, from } from 'rxjs';
import { createKafka, createProducer } from '../../src/kafka/kafka-client.ts';
import { kafkaSource } from '../../src/kafka/kafka-source.ts';
import { produceDeliveries } from '../../src/kafka/produce-deliveries.ts';
import { cleanUp, collect, freshPrefix, requireStack, withAdmin } from './topics-fixture.ts';

const prefix = freshPrefix('consumer');
const input = `${prefix}in`;
const output = `${prefix}out`;
const groupId = `${prefix}group`;
const { kafka } = createKafka();
const producer = createProducer(kafka);

before(async () => {
  await requireStack();
  await withAdmin((admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1 }] }));
  await producer.connect();
  await producer.send({ topic: input, messages: ['a', 'b', 'c'].map((v) => ({ key: v, value: v })) });
});
after(async () => {
  await producer.disconnect();
  await cleanUp(prefix);
});

const committed = (): Promise<string | undefined> =>
  withAdmin(async (admin) => (await admin.fetchOffsets({ groupId, topics: [input] }))[0]?.partitions[0]?.offset);

test('offsets are committed only for messages whose derived records were produced', async () => {
  // First run: all three are consumed, only 'a' is carried through the producer sink.
  const first = kafkaSource(kafka, { groupId, topics: [input], commitIntervalMs: 0 });
  const run1 = collect(first);
  const got = await run1.waitFor(3);
  assert.deepEqual(got.map((m) => m.value.toString()), ['a', 'b', 'c']);
  const a = got[0];
  assert.ok(a?.source);
  await firstValueFrom(from([{ records: [{ topic: output, key: a.key, value: Buffer.from('A') }], completes: [a.source] }]).pipe(produceDeliveries(producer, (s) => first.complete(s))));
  await run1.close();
  assert.equal(await committed(), '1', "only 'a' is committed");

  // Restart the group: 'b' and 'c' were consumed but never produced, so they come again.
  const second = kafkaSource(kafka, { groupId, topics: [input], commitIntervalMs: 0 });
  const run2 = collect(second);
  const again = await run2.waitFor(2);
  assert.deepEqual(again.map((m) => m.value.toString()), ['b', 'c']);
  for (const m of again) if (m.source) second.complete(m.source);
  await run2.close();
  assert.equal(await committed(), '3');
});

test('an out-of-order completion does not commit past an unfinished message', async () => {
  await producer.send({ topic: input, messages: [{ key: 'd', value: 'd' }, { key: 'e', value: 'e' }] });
  const source = kafkaSource(kafka, { groupId, topics: [input], commitIntervalMs: 0 });
  const run1 = collect(source);
  const [d, e] = await run1.waitFor(2);
  assert.equal(d?.value.toString(), 'd');
  if (e?.source) source.complete(e.source);
  await run1.close();
  assert.equal(await committed(), '3', "'e' finished but 'd' did not");
  const again = kafkaSource(kafka, { groupId, topics: [input], commitIntervalMs: 0 });
  const run2 = collect(again);
  const replay = await run2.waitFor(2);
  assert.deepEqual(replay.map((m) => m.value.toString()), ['d', 'e']);
  for (const m of replay) if (m.source) again.complete(m.source);
  await run2.close();
  assert.equal(await committed(), '5');
});

test('at most maxInFlight messages are outstanding; completing one lets the next in; commits also happen on the interval', async () => {
  const topic = `${prefix}bounded`;
  const group = `${prefix}bounded-group`;
  await withAdmin((admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] }));
  await producer.send({ topic, messages: ['1', '2', '3', '4', '5'].map((v) => ({ key: v, value: v })) });
  const source = kafkaSource(kafka, { groupId: group, topics: [topic], maxInFlight: 2, commitIntervalMs: 500 });
  const run = collect(source);
  await run.waitFor(2);
  await new Promise((r) => setTimeout(r, 2_500));
  assert.equal(run.seen.length, 2, 'the consumer waits while two are outstanding');
  const first = run.seen[0];
  if (first?.source) source.complete(first.source);
  await run.waitFor(3);
  await new Promise((r) => setTimeout(r, 1_500));
  const offset = await withAdmin(async (admin) => (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]?.partitions[0]?.offset);
  assert.equal(offset, '1', 'committed by the interval timer, while still running');
  assert.equal(run.seen.length, 3);
  await run.close();
});

test('after a rebalance, unfinished messages of a revoked partition go to the new owner', async () => {
  const topic = `${prefix}shared`;
  const group = `${prefix}shared-group`;
  await withAdmin((admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] }));
  await producer.send({ topic, messages: [{ key: 'p0', value: 'p0', partition: 0 }, { key: 'p1', value: 'p1', partition: 1 }] });

  const a = kafkaSource(kafka, { groupId: group, topics: [topic], commitIntervalMs: 0, sessionTimeoutMs: 10_000 });
  const runA = collect(a);
  await runA.waitFor(2);
  const b = kafkaSource(kafka, { groupId: group, topics: [topic], commitIntervalMs: 0, sessionTimeoutMs: 10_000 });
  const runB = collect(b);
  const [moved] = await runB.waitFor(1);
  assert.ok(moved?.source, 'the new member receives the unfinished message of the partition it took over');
  const stale = runA.seen.find((m) => m.source?.partition === moved.source?.partition);
  assert.ok(stale?.source);
  a.complete(stale.source);
  b.complete(moved.source);
  const kept = runA.seen.find((m) => m.source?.partition !== moved.source?.partition);
  if (kept?.source) a.complete(kept.source);
  await runA.close();
  await runB.close();
  const offsets = await withAdmin(async (admin) => (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]?.partitions.map((p) => p.offset).sort());
  assert.deepEqual(offsets, ['1', '1']);
});
