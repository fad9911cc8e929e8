/**
 * The duplicate check and the label join sharing one id table (core/shared-ids.ts) behave exactly
 * as each with its own: random streams of predictions (each record's id through the duplicate check
 * then the label join, as the analyzers take it), labels (late, early, duplicated), clock steps past
 * the TTL and grace, and restarts from a snapshot taken through JSON, with small stores so that
 * evictions are frequent. The duplicate check is also held to a plain list of the last N ids. Ids
 * include hostile ones: JSON escapes, UTF-8 past Latin-1, a lone surrogate, the empty id, UUIDs in
 * either case and near-UUIDs, and a 1 MB id. The shared stores take each record's id as a lent
 * record gives it (its bytes in the line where it is plain ASCII, core/id-bytes.ts), the others as
 * its string: the same packing either way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../src/analyzers/quality/recent-ids.js';
import { ManualClock } from '../../src/core/clock.js';
import { setIdBytes, type IdBytes } from '../../src/core/id-bytes.js';
import { SharedIds } from '../../src/core/shared-ids.js';
import { LabelJoiner, type LabelJoinerOptions } from '../../src/windows/label-join.js';

const MEGABYTE_ID = 'x'.repeat(1 << 20);
const HOSTILE = [
  '',
  '"',
  '\\',
  '\\"\n\t\u0000',
  'é',
  'ü-ß',
  '\u{1F600}',
  '\ud800',
  '0123456789abcdef',
  '0123456789abcdef0',
  'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
  'F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6',
  'F81d4fae-7dec-11d0-a765-00a0c91e6bf6',
  'f81d4fae-7dec-11d0-a765-00a0c91e6bfg',
  MEGABYTE_ID,
  `${MEGABYTE_ID}y`,
];

/** A small pool, so that ids repeat within the stores' few rows: plain ids, hostile ones, and fresh strings of any kind. */
const id = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 10 }).map((i) => `req-${i}`) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.uuid() },
);

/**
 * The id's bytes as the scanner leaves them (records/scanner.ts): only a non-empty ASCII id without
 * escapes, in a line with other bytes around it.
 */
function lineBytes(id: string): IdBytes | undefined {
  if (id === '' || !/^[\x20-\x7f]*$/.test(id) || id.includes('"') || id.includes('\\')) return undefined;
  const line = Buffer.from(`{"request_id":"${id}","x":1}`, 'latin1');
  const ref: IdBytes = { bytes: new Uint8Array(0), start: 0, end: 0, serial: 0 };
  setIdBytes(ref, line, 15, 15 + id.length);
  return ref;
}

type Op =
  | { kind: 'record'; id: string; prediction: number }
  | { kind: 'label'; id: string; label: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'restart' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('record' as const), id, prediction: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('label' as const), id, label: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 5_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

interface Limits {
  recent: number;
  options: Pick<LabelJoinerOptions, 'maxEntries' | 'ttlMs' | 'graceMs' | 'maxEarlyLabels'>;
}

/** The two stores as the analyzers hold them: one table for both (shared), or one each. */
class Stores {
  readonly recent: RecentIds;
  readonly joiner: LabelJoiner;

  constructor(
    readonly limits: Limits,
    readonly clock: ManualClock,
    readonly shared: boolean,
    saved?: string,
  ) {
    const table = shared ? new SharedIds() : undefined;
    this.recent = new RecentIds(limits.recent, table);
    this.joiner = new LabelJoiner({ clock, ...limits.options, ids: table });
    if (saved !== undefined) {
      const state = JSON.parse(saved);
      this.recent.restore(state.recent);
      this.joiner.restore(state.joiner);
    }
  }

  /** A record's id through both stores; shared, as a lent record gives it: its bytes in a line when it is plain ASCII. */
  record(requestId: string, prediction: number): unknown {
    const requestIdBytes = this.shared ? lineBytes(requestId) : undefined;
    const duplicate = this.recent.seen(requestIdBytes ? { requestId, requestIdBytes } : requestId);
    const joined = this.joiner.addPrediction({ requestId, requestIdBytes, model: 'm', version: 'v', prediction, scores: undefined, timestamp: 1000, segments: undefined });
    return { duplicate, joined };
  }

  saved(): string {
    return JSON.stringify({ recent: this.recent.snapshot(), joiner: this.joiner.snapshot() });
  }

  restarted(): Stores {
    return new Stores(this.limits, this.clock, this.shared, this.saved());
  }
}

describe('one id table for the duplicate check and the label join', () => {
  it('gives the same duplicates, joins, outcomes and snapshots as a table each, on random streams', () => {
    const limits = fc.record({
      recent: fc.integer({ min: 1, max: 6 }),
      options: fc.record({
        maxEntries: fc.integer({ min: 1, max: 12 }),
        ttlMs: fc.integer({ min: 1_000, max: 20_000 }),
        graceMs: fc.integer({ min: 1_000, max: 10_000 }),
        maxEarlyLabels: fc.integer({ min: 1, max: 4 }),
      }),
    });
    fc.assert(
      fc.property(limits, fc.array(op, { maxLength: 250 }), (limits, ops) => {
        const clock = new ManualClock(1_000_000);
        let shared = new Stores(limits, clock, true);
        let own = new Stores(limits, clock, false);
        // The plain model of the duplicate check: a ring of the last N ids not seen in it.
        const ring: (string | undefined)[] = new Array(limits.recent).fill(undefined);
        let head = 0;
        for (const o of ops) {
          if (o.kind === 'record') {
            const got = shared.record(o.id, o.prediction);
            expect(got).toEqual(own.record(o.id, o.prediction));
            const duplicate = ring.includes(o.id);
            if (!duplicate) {
              ring[head] = o.id;
              head = (head + 1) % ring.length;
            }
            expect((got as { duplicate: boolean }).duplicate).toBe(duplicate);
          } else if (o.kind === 'label') {
            const label = { requestId: o.id, label: o.label, timestamp: 1010, model: 'm', version: 'v' };
            expect(shared.joiner.addLabel(label)).toEqual(own.joiner.addLabel(label));
          } else if (o.kind === 'advance') {
            clock.advance(o.ms);
          } else {
            shared = shared.restarted();
            own = own.restarted();
          }
          expect(shared.joiner.stats()).toEqual(own.joiner.stats());
        }
        expect(shared.saved()).toBe(own.saved());
        // The ring's snapshot is the model's ids, oldest first.
        const oldestFirst = [...ring.slice(head), ...ring.slice(0, head)].filter((x) => x !== undefined);
        expect(JSON.parse(JSON.stringify(shared.recent.snapshot()))).toEqual(oldestFirst);
      }),
      { numRuns: 500 },
    );
  });

  it('restores a checkpoint written by stores with a table each into a shared table, and the other way round', () => {
    const clock = new ManualClock(1_000_000);
    const limits: Limits = { recent: 5, options: { maxEntries: 8, ttlMs: 60_000, graceMs: 10_000, maxEarlyLabels: 3 } };
    const own = new Stores(limits, clock, false);
    for (const x of HOSTILE) own.record(x, 1);
    own.joiner.addLabel({ requestId: 'early', label: 1, timestamp: 1010 });
    const fromOwn = new Stores(limits, clock, true, own.saved());
    expect(fromOwn.saved()).toBe(own.saved());
    expect(new Stores(limits, clock, false, fromOwn.saved()).saved()).toBe(own.saved());
    // The last 5 ids are duplicates to both stores after the restart; an older one is only waiting for its label.
    for (const x of HOSTILE.slice(-5)) expect(fromOwn.record(x, 1)).toEqual({ duplicate: true, joined: undefined });
    const older = HOSTILE[HOSTILE.length - 6];
    expect(fromOwn.recent.seen(older)).toBe(false);
    expect(fromOwn.joiner.addLabel({ requestId: older, label: 0, timestamp: 1010 })?.requestId).toBe(older);
  });

  it('frees a row only when neither store holds its id', () => {
    const table = new SharedIds();
    const recent = new RecentIds(2, table);
    const clock = new ManualClock(0);
    const joiner = new LabelJoiner({ clock, maxEntries: 3, ids: table });
    const record = (x: string) => {
      recent.seen(x);
      joiner.addPrediction({ requestId: x, model: 'm', version: 'v', prediction: 1, scores: undefined, timestamp: 1, segments: undefined });
    };
    for (const x of ['a', 'b', 'c']) record(x);
    // The ring let go of 'a'; the label store still waits on it.
    expect(table.size).toBe(3);
    expect(recent.seen('a')).toBe(false);
    expect(table.size).toBe(3);
    record('d');
    // 'a' left the label store (the ring holds it again) and 'c' the ring (it still waits): a, b, c, d are all held.
    expect(table.size).toBe(4);
    // Labels take c and d from the label store; c is in neither store now ('a' and 'd' are the ring's).
    joiner.addLabel({ requestId: 'c', label: 1, timestamp: 2 });
    expect(table.size).toBe(3);
    joiner.addLabel({ requestId: 'b', label: 1, timestamp: 2 });
    expect(table.size).toBe(2);
    // The ring lets go of 'a', held by no other store: freed, and its row taken by 'e'.
    record('e');
    expect(table.size).toBe(2);
    expect(table.capacity).toBe(5);
  });
});
