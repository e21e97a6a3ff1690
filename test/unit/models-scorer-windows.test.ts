import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planBatches } from '../../src/models/runtime/batch-plan.ts';
import { planWindows } from '../../src/models/runtime/sliding-windows.ts';

describe('planWindows', () => {
  it('is one window when the sequence fits', () => {
    assert.deepEqual(planWindows(10, 16, 8), [{ start: 0, end: 10, ownFrom: 0, ownTo: 10 }]);
    assert.deepEqual(planWindows(16, 16, 8), [{ start: 0, end: 16, ownFrom: 0, ownTo: 16 }]);
    assert.deepEqual(planWindows(0, 16, 8), []);
  });

  it('owns each position from the earliest window containing it', () => {
    assert.deepEqual(planWindows(30, 16, 8), [
      { start: 0, end: 16, ownFrom: 0, ownTo: 16 },
      { start: 8, end: 24, ownFrom: 16, ownTo: 24 },
      { start: 16, end: 30, ownFrom: 24, ownTo: 30 },
    ]);
  });

  it('partitions [0, n) and gives every position ≥ window at least window − stride ≥ window/2 left context', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 2, max: 600 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, window, f) => {
        const stride = Math.max(1, Math.floor((window / 2) * f) || 1);
        const ws = planWindows(n, window, stride);
        let next = 0;
        for (const w of ws) {
          assert.equal(w.ownFrom, next);
          assert.ok(w.end - w.start <= window && w.start <= w.ownFrom && w.ownTo <= w.end && w.ownFrom < w.ownTo);
          for (const p of [w.ownFrom, w.ownTo - 1]) if (p >= window) assert.ok(p - w.start >= window - stride && p - w.start >= window / 2);
          next = w.ownTo;
        }
        assert.equal(next, n);
      }),
    );
  });

  it('refuses a stride above window/2, naming it', () => {
    assert.throws(() => planWindows(10, 16, 9), /stride must be an integer in \[1, window\/2 = 8\], got 9/);
    assert.throws(() => planWindows(-1, 16, 8), /sequence length/);
  });
});

describe('planBatches', () => {
  it('keeps every non-empty row once, within the row and padded-token limits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 2000 }), (lengths, maxRows, maxTokens) => {
        const rows = lengths.map((length, id) => ({ id, length }));
        const batches = planBatches(rows, maxRows, maxTokens);
        const seen = batches.flat().map((r) => r.id).sort((a, b) => a - b);
        assert.deepEqual(seen, rows.filter((r) => r.length > 0).map((r) => r.id));
        for (const b of batches) {
          const width = Math.max(...b.map((r) => r.length));
          assert.equal(b[0]?.length, width);
          assert.ok(b.length <= maxRows);
          assert.ok(b.length === 1 || b.length * width <= maxTokens);
        }
      }),
    );
  });
});
