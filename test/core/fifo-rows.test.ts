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
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const rows = new FifoRows();
        const model: string[] = [];
        for (const { kind, key } of ops) {
          const k = `id-${key}`;
          if (kind === 'add' && !rows.has(k)) {
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
        }
        for (const k of model) expect(rows.keyAt(rows.get(k)!)).toBe(k);
        const order = [...rows.entries()].map((r) => rows.keyAt(r));
        expect(order).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });
});
