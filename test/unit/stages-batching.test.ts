import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';
import { delay, of } from 'rxjs';
import { batchAcross } from '../../src/stages/batch-across.ts';
import { orderedMergeMap } from '../../src/stages/ordered-merge-map.ts';

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));

test('batchAcross flushes on size, on time, and on completion', () => {
  const s = scheduler();
  s.run(({ cold, expectObservable }) => {
    const source = cold('a-b-c-d 10ms e|');
    // a,b,c at frames 0,2,4 → full batch of 3 at frame 4; d at 6 waits for the 10 ms timer
    // (opened at 4 → fires at 14); e arrives at 17 and is flushed at completion (18).
    expectObservable(source.pipe(batchAcross(3, 10, s))).toBe('----x---------y---(z|)', {
      x: ['a', 'b', 'c'], y: ['d'], z: ['e'],
    });
  });
});

test('batchAcross with size 1 passes every message alone, without waiting', () => {
  const s = scheduler();
  s.run(({ cold, expectObservable }) => {
    expectObservable(cold('a-b|').pipe(batchAcross(1, 1000, s))).toBe('a-b|', { a: ['a'], b: ['b'] });
  });
});

test('orderedMergeMap runs in parallel but emits in input order', () => {
  const s = scheduler();
  s.run(({ cold, expectObservable }) => {
    const durations: Record<string, number> = { a: 5, b: 1, c: 1, d: 1 };
    const source = cold('abcd|');
    // concurrency 2: a (0..5) and b (1..2) run; b waits for a; c starts at 2, d at 3.
    const out = source.pipe(orderedMergeMap((v) => of(v.toUpperCase()).pipe(delay(durations[v] ?? 0)), 2));
    expectObservable(out).toBe('-----(ABCD|)');
  });
});

test('orderedMergeMap respects the concurrency limit', () => {
  const s = scheduler();
  s.run(({ cold, expectObservable }) => {
    const out = cold('(abc|)').pipe(orderedMergeMap((v) => of(v).pipe(delay(3)), 1));
    expectObservable(out).toBe('---a--b--(c|)');
  });
});

test('batchAcross with waitMs 0 cuts by size only, the rest at completion', () => {
  const s = scheduler();
  s.run(({ cold, expectObservable }) => {
    expectObservable(cold('a 100ms b-c-d-e|').pipe(batchAcross(3, 0, s))).toBe('103ms x 4ms (y|)', { x: ['a', 'b', 'c'], y: ['d', 'e'] });
  });
});
