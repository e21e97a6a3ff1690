import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OffsetTracker } from '../../src/kafka/offset-tracker.ts';

const receive = (t: OffsetTracker, offsets: number[], partition = 0): void => { for (const o of offsets) t.received('t', partition, String(o)); };

test('nothing is committable before the first message completes', () => {
  const t = new OffsetTracker();
  receive(t, [0, 1, 2]);
  assert.deepEqual(t.takeCommittable(), []);
  assert.equal(t.inFlight, 3);
});

test('an out-of-order completion waits for the messages before it', () => {
  const t = new OffsetTracker();
  receive(t, [0, 1, 2]);
  t.completed('t', 0, '2');
  assert.deepEqual(t.takeCommittable(), []);
  t.completed('t', 0, '0');
  assert.deepEqual(t.takeCommittable(), [{ topic: 't', partition: 0, offset: '1' }]);
  t.completed('t', 0, '1');
  assert.deepEqual(t.takeCommittable(), [{ topic: 't', partition: 0, offset: '3' }]);
  assert.deepEqual(t.takeCommittable(), [], 'an offset is handed out once');
  assert.equal(t.inFlight, 0);
});

test('gaps in offsets (compaction, transaction markers) do not block the prefix', () => {
  const t = new OffsetTracker();
  receive(t, [10, 13, 20]);
  t.completed('t', 0, '10');
  t.completed('t', 0, '13');
  assert.deepEqual(t.takeCommittable(), [{ topic: 't', partition: 0, offset: '14' }]);
});

test('partitions advance independently', () => {
  const t = new OffsetTracker();
  receive(t, [0, 1], 0);
  receive(t, [5, 6], 1);
  t.completed('t', 1, '5');
  t.completed('t', 0, '1');
  assert.deepEqual(t.takeCommittable(), [{ topic: 't', partition: 1, offset: '6' }]);
});

test('offsets beyond 2^53 stay exact', () => {
  const t = new OffsetTracker();
  t.received('t', 0, '9007199254740993');
  t.completed('t', 0, '9007199254740993');
  assert.deepEqual(t.takeCommittable(), [{ topic: 't', partition: 0, offset: '9007199254740994' }]);
});

test('a failed commit is handed out again; unknown and repeated completions are ignored', () => {
  const t = new OffsetTracker();
  receive(t, [0]);
  t.completed('t', 0, '0');
  t.completed('t', 0, '0');
  t.completed('t', 3, '7');
  const first = t.takeCommittable();
  t.uncommit(first);
  assert.deepEqual(t.takeCommittable(), first);
});

test('revoked partitions are forgotten and their late completions ignored', () => {
  const t = new OffsetTracker();
  receive(t, [0, 1], 0);
  receive(t, [0], 1);
  t.retainOnly([{ topic: 't', partition: 1 }]);
  t.completed('t', 0, '0');
  assert.equal(t.inFlight, 1);
  assert.deepEqual(t.takeCommittable(), []);
});

test('property: the committed offset is one past the longest completed prefix', () => {
  fc.assert(fc.property(
    fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }).map((a) => a.sort((x, y) => x - y)),
    fc.func(fc.boolean()),
    fc.integer(),
    (offsets, isDone, seed) => {
      const t = new OffsetTracker();
      receive(t, offsets);
      const done = offsets.filter((o) => isDone(o));
      const order = [...done].sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
      let last: string | undefined;
      for (const o of order) {
        t.completed('t', 0, String(o));
        const taken = t.takeCommittable();
        if (taken[0]) last = taken[0].offset;
      }
      let prefix = 0;
      while (prefix < offsets.length && done.includes(offsets[prefix] ?? -1)) prefix += 1;
      const expected = prefix === 0 ? undefined : String((offsets[prefix - 1] ?? 0) + 1);
      assert.equal(last, expected);
      assert.equal(t.inFlight, offsets.length - prefix);
    },
  ));
});
