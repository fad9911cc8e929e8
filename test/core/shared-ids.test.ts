/**
 * SharedIds against a plain model (id → the set of stores holding it): three stores hold and let go
 * of ids at random, each asking find() right before, as the stores do, and often for the id just
 * let go of (the last-id memo must not answer with a freed row).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharedIds } from '../../src/core/shared-ids.js';

describe('SharedIds', () => {
  it('agrees with a map of holder sets under random holds and releases by three stores', () => {
    const op = fc.record({ store: fc.integer({ min: 0, max: 2 }), hold: fc.boolean(), id: fc.constantFrom('a', 'b', 'c', 'd', '', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'x'.repeat(40)) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const table = new SharedIds();
        const bits = [table.holder(7), table.holder(7), table.holder(7)];
        const model = new Map<string, Set<number>>();
        for (const { store, hold, id } of ops) {
          const row = table.find(id);
          const holders = model.get(id) ?? new Set<number>();
          expect(row >= 0).toBe(holders.size > 0);
          expect(row >= 0 && table.holds(row, bits[store])).toBe(holders.has(store));
          if (row >= 0) expect(table.idAt(row)).toBe(id);
          if (hold && !holders.has(store)) {
            const at = table.hold(id, row, bits[store]);
            if (row >= 0) expect(at).toBe(row);
            model.set(id, holders.add(store));
          } else if (!hold && holders.has(store)) {
            table.release(row, bits[store]);
            holders.delete(store);
            if (holders.size === 0) model.delete(id);
          }
          expect(table.size).toBe(model.size);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reserves every store\'s rows at once, and takes at most 8 stores', () => {
    const table = new SharedIds();
    table.holder(10_000);
    table.holder(100_000);
    expect(table.capacity).toBe(110_000);
    const before = table.bytes();
    for (let i = 0; i < 110_000; i++) table.hold(`req-${i}`, -1, 1);
    expect(table.bytes()).toBe(before);
    for (let i = 0; i < 6; i++) table.holder(1);
    expect(() => table.holder(1)).toThrow(/at most 8/);
  });
});
