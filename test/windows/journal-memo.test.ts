/**
 * The journal memo (src/windows/journal-memo.ts) against a plain model: under random adds, deletes
 * at any position, evictions of the oldest, captures, commits (some long after their capture, with
 * changes in between, as a checkpoint write takes turns of the event loop) and resets, a diff applied
 * to the committed capture's entries must give exactly the store's entries now, in order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FifoRows } from '../../src/core/fifo-map.js';
import { JournalMemo, type JournalMark } from '../../src/windows/journal-memo.js';

type Op =
  | { kind: 'add'; key: number }
  | { kind: 'delete'; key: number }
  | { kind: 'evict' }
  | { kind: 'capture' }
  | { kind: 'commit' }
  | { kind: 'reset' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 0, max: 60 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 60 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('evict' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('capture' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('commit' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const) }) },
);

describe('JournalMemo', () => {
  it('a diff applied to the committed entries gives the store now, through commits, late commits and resets', () => {
    let diffs = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 100, maxLength: 400 }), fc.integer({ min: 1, max: 30 }), (ops, maxRows) => {
        const store = new FifoRows(maxRows);
        const memo = new JournalMemo(store, maxRows);
        const keys = () => Array.from(store.liveRows(), (r) => store.keyAt(r));
        let committed: string[] | undefined;
        let pending: { mark: JournalMark; keys: string[] } | undefined;
        for (const o of ops) {
          if (o.kind === 'add') {
            const k = `id-${o.key}`;
            if (store.has(k)) continue;
            if (store.size >= maxRows) store.deleteRow(store.oldest());
            store.add(k);
          } else if (o.kind === 'delete') store.delete(`id-${o.key}`);
          else if (o.kind === 'evict') {
            const row = store.oldest();
            if (row >= 0) store.deleteRow(row);
          } else if (o.kind === 'capture') {
            const now = keys();
            const diff = memo.diff();
            if (diff !== undefined) {
              diffs++;
              expect(committed).toBeDefined();
              const survivors = committed!.filter((_, p) => !diff.removed.includes(p));
              expect(Array.from(diff.removed)).toEqual([...diff.removed].sort((a, b) => a - b));
              expect(survivors).toEqual(now.slice(0, diff.addedFrom));
              expect(Array.from(diff.added, (r) => store.keyAt(r))).toEqual(now.slice(diff.addedFrom));
            }
            pending = { mark: memo.mark(diff, () => store.liveRows()), keys: now };
          } else if (o.kind === 'commit') {
            if (!pending) continue;
            memo.commit(pending.mark);
            committed = memo.epoch === 0 ? undefined : pending.keys;
            pending = undefined;
          } else {
            memo.reset();
            committed = undefined;
          }
        }
      }),
      { numRuns: 300 },
    );
    // The diffs were checked, not only the whole captures.
    expect(diffs).toBeGreaterThan(300);
  });

  it('takes diffs, not whole captures, when each capture is committed before the next', () => {
    const store = new FifoRows(100);
    const memo = new JournalMemo(store, 100);
    let diffs = 0;
    for (let round = 0, next = 0; round < 50; round++) {
      for (let k = 0; k < 30; k++) {
        if (store.size >= 100) store.deleteRow(store.oldest());
        store.add(`id-${next++}`);
      }
      // Labels join a few of the waiting ones, anywhere in the store.
      for (let k = 0; k < 5; k++) store.delete(`id-${next - 1 - ((k * 37 + round) % 90)}`);
      const diff = memo.diff();
      if (diff) diffs++;
      memo.commit(memo.mark(diff, () => store.liveRows()));
    }
    expect(diffs).toBe(49);
  });

  it('starts again whole when more entries went between two commits than its log holds', () => {
    const store = new FifoRows(2000);
    const memo = new JournalMemo(store, 2000);
    for (let i = 0; i < 2000; i++) store.add(`id-${i}`);
    memo.commit(memo.mark(memo.diff(), () => store.liveRows()));
    // 2,001 removals: past the log's 2,000.
    for (let i = 2000; i < 4001; i++) {
      store.deleteRow(store.oldest());
      store.add(`id-${i}`);
    }
    expect(memo.diff()).toBeUndefined();
    const mark = memo.mark(undefined, () => store.liveRows());
    memo.commit(mark);
    store.delete('id-3000');
    store.add('id-new');
    const diff = memo.diff()!;
    expect(diff.addedFrom).toBe(1999);
    expect(Array.from(diff.removed)).toEqual([999]);
    expect(Array.from(diff.added, (r) => store.keyAt(r))).toEqual(['id-new']);
  });
});
