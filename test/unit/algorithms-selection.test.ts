import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { adaptiveThreshold, entropyStatistics } from '../../src/algorithms/entropy-stats.ts';
import { selectPositions } from '../../src/algorithms/position-policy.ts';
import { queryWindow } from '../../src/algorithms/query-window.ts';
import { decideInformationGain } from '../../src/algorithms/information-gain.ts';

test('statistics skip entropies[0] and use the population std', () => {
  const s = entropyStatistics([100, 1, 2, 3, 4]);
  assert.equal(s.count, 4);
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.std - Math.sqrt(1.25)) < 1e-12);
  assert.equal(adaptiveThreshold(s, 2), 2.5 + 2 * Math.sqrt(1.25));
});

test('statistics of documents too short to judge are zero', () => {
  assert.deepEqual(entropyStatistics([]), { mean: 0, std: 0, count: 0 });
  assert.deepEqual(entropyStatistics([5]), { mean: 0, std: 0, count: 0 });
});

const positionCases: { name: string; entropies: number[]; threshold: number; minPosition: number; maxPositions: number; expected: number[] }[] = [
  { name: 'strictly above τ', entropies: [9, 1, 5, 5.0001, 2], threshold: 5, minPosition: 0, maxPositions: 10, expected: [3] },
  { name: 't = 0 never selected', entropies: [9, 9, 9], threshold: 1, minPosition: 0, maxPositions: 10, expected: [1, 2] },
  { name: 'minPosition', entropies: [0, 9, 9, 9, 9], threshold: 1, minPosition: 3, maxPositions: 10, expected: [3, 4] },
  { name: 'cap keeps the highest, in position order', entropies: [0, 2, 8, 3, 7, 9], threshold: 1, minPosition: 1, maxPositions: 3, expected: [2, 4, 5] },
  { name: 'cap ties: earlier position wins', entropies: [0, 5, 5, 5], threshold: 1, minPosition: 1, maxPositions: 2, expected: [1, 2] },
];
for (const c of positionCases) {
  test(`selectPositions: ${c.name}`, () => {
    assert.deepEqual(selectPositions(c.entropies, c).map((p) => p.position), c.expected);
  });
}

test('selectPositions property: sorted, above τ, within cap, after minPosition', () => {
  fc.assert(fc.property(
    fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { maxLength: 200 }), fc.nat(20), fc.integer({ min: 1, max: 30 }),
    (entropies, minPosition, maxPositions) => {
      const stats = entropyStatistics(entropies);
      const threshold = adaptiveThreshold(stats, 1);
      const picked = selectPositions(entropies, { threshold, minPosition, maxPositions });
      assert.ok(picked.length <= maxPositions);
      for (let i = 0; i < picked.length; i++) {
        const p = picked[i]!;
        assert.ok(p.position >= Math.max(1, minPosition) && p.entropy > threshold);
        if (i > 0) assert.ok(picked[i - 1]!.position < p.position);
      }
      const weakestPicked = Math.min(...picked.map((p) => p.entropy));
      const qualifiedCount = entropies.filter((h, t) => t >= Math.max(1, minPosition) && h > threshold).length;
      if (qualifiedCount > maxPositions) {
        const unpicked = entropies.filter((h, t) => t >= Math.max(1, minPosition) && h > threshold && !picked.some((p) => p.position === t));
        for (const h of unpicked) assert.ok(h <= weakestPicked);
      } else assert.equal(picked.length, qualifiedCount);
    },
  ));
});

test('query window is ±w tokens inclusive, clamped', () => {
  assert.deepEqual(queryWindow(20, 16, 100), { start: 4, end: 37 });
  assert.deepEqual(queryWindow(3, 16, 100), { start: 0, end: 20 });
  assert.deepEqual(queryWindow(95, 16, 100), { start: 79, end: 100 });
  assert.deepEqual(queryWindow(5, 0, 10), { start: 5, end: 6 });
});

test('ΔI: relative reduction, strictly greater than ε, never for H_before ≤ 0', () => {
  assert.deepEqual(decideInformationGain(2, 1, 0.4), { informationGain: 0.5, kept: true });
  assert.deepEqual(decideInformationGain(2, 1.2, 0.4).kept, false);
  assert.ok(Math.abs(decideInformationGain(2, 1.2, 0.4).informationGain - 0.4) < 1e-12);
  assert.equal(decideInformationGain(1, 0.6, 0.4).kept, false, 'exactly ε is not kept');
  assert.deepEqual(decideInformationGain(0, 0, 0.4), { informationGain: 0, kept: false });
  assert.deepEqual(decideInformationGain(-1, -5, 0.4), { informationGain: 0, kept: false });
  assert.deepEqual(decideInformationGain(Number.NaN, 0, 0.4), { informationGain: 0, kept: false });
  assert.ok(decideInformationGain(1, 2, 0.4).informationGain < 0);
});
