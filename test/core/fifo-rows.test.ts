/**
 * FifoRows against a plain model (an insertion-ordered list): random adds, deletes and evictions of
 * the oldest must agree on membership, row lookups and order, with row numbers reused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FifoRows } from '../../src/core/fifo-map.js';

describe('FifoRows', () => {
  it('agrees with an ordered list under random add / delete / evict-oldest', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('evict' as const), key: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.option(fc.integer({ min: 1, max: 12 })), (ops, maxRows) => {
        // With maxRows, the caller evicts the oldest before adding past it (as the label store does).
        const rows = maxRows === null ? new FifoRows() : new FifoRows(maxRows);
        const bytes = rows.bytes();
        const model: string[] = [];
        for (const { kind, key } of ops) {
          const k = `id-${key}`;
          if (kind === 'add' && !rows.has(k)) {
            if (maxRows !== null && rows.size >= maxRows) {
              expect(rows.keyAt(rows.oldest())).toBe(model[0]);
              rows.deleteRow(rows.oldest());
              model.shift();
            }
            const row = rows.add(k);
            expect(rows.keyAt(row)).toBe(k);
            model.push(k);
          } else if (kind === 'delete') {
            expect(rows.delete(k) !== undefined).toBe(model.includes(k));
            if (model.includes(k)) model.splice(model.indexOf(k), 1);
          } else if (kind === 'evict') {
            const row = rows.oldest();
            if (model.length === 0) expect(row).toBe(-1);
            else {
              expect(rows.keyAt(row)).toBe(model[0]);
              rows.deleteRow(row);
              model.shift();
            }
          }
          expect(rows.size).toBe(model.length);
          // The order queue is a ring: its live rows, oldest first, through wraps and compactions.
          expect(Array.from(rows.liveRows(), (r) => rows.keyAt(r))).toEqual(model);
          // Allocated once at maxRows (twice it for the order queue): nothing grows, whatever the churn
          // (only the free-row list moves, 8 bytes a free row).
          if (maxRows !== null) expect(rows.bytes()).toBeLessThanOrEqual(bytes + 8 * maxRows);
        }
        for (const k of model) expect(rows.keyAt(rows.get(k)!)).toBe(k);
        const order = [...rows.entries()].map((r) => rows.keyAt(r));
        expect(order).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });
  it('keeps its order when the ring fills with stale pairs behind a head moved on (compaction in place, wrapping)', () => {
    // 4 entries at most: an 8-pair ring. The newest entry is let go of and replaced (a stale pair
    // in the middle) at every step, the oldest at every third (the head moves on): the ring fills
    // and compacts at every head position.
    const rows = new FifoRows(4);
    const bytes = rows.bytes();
    const model: string[] = [];
    let next = 0;
    const add = () => {
      const k = `id-${next++}`;
      rows.add(k);
      model.push(k);
    };
    for (let i = 0; i < 4; i++) add();
    for (let step = 0; step < 300; step++) {
      if (step % 3 === 0) {
        rows.deleteRow(rows.oldest());
        model.shift();
        add();
      }
      rows.delete(model.pop()!);
      add();
      expect(Array.from(rows.liveRows(), (r) => rows.keyAt(r))).toEqual(model);
      expect([...rows.entries()].map((r) => rows.keyAt(r))).toEqual(model);
      expect(rows.keyAt(rows.oldest())).toBe(model[0]);
    }
    expect(rows.bytes()).toBe(bytes);
  });
});
