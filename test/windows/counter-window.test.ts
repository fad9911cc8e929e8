/**
 * The count counter window against a plain model (the last N records' event lists): counts, record
 * count and snapshot after random records with any number of events, and a restore of its snapshot
 * (into a window as long or shorter) equal to the model of the newest records. The time counter
 * window against every record kept: those whose sub-bucket is among the newest S (newest as of the
 * latest record or advance), through times that step back, repeat, jump past the window, and restores.
 * addRun (a run of records at once) against add() one record at a time, for both.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountCounterWindow, TimeCounterWindow } from '../../src/windows/counter-window.js';

const KINDS = 7;

function modelCounts(records: number[][]): number[] {
  const counts = new Array<number>(KINDS).fill(0);
  for (const r of records) for (const k of r) counts[k]++;
  return counts;
}

describe('CountCounterWindow', () => {
  it('counts the events of exactly the last N records, and restores what it saved', () => {
    const record = fc.array(fc.nat({ max: KINDS - 1 }), { maxLength: 40 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(record, { maxLength: 80 }), fc.integer({ min: 1, max: 12 }), (capacity, records, shorter) => {
        const w = new CountCounterWindow(capacity, KINDS);
        for (const r of records) w.add(0, r);
        const kept = records.slice(-capacity);
        expect([...w.counts()]).toEqual(modelCounts(kept));
        expect(w.records()).toBe(kept.length);
        const restored = new CountCounterWindow(Math.min(capacity, shorter), KINDS);
        restored.restore(w.snapshot());
        const newest = kept.slice(-Math.min(capacity, shorter));
        expect([...restored.counts()]).toEqual(modelCounts(newest));
        expect(restored.records()).toBe(newest.length);
        // And it carries on from there like the model.
        restored.add(0, [1, 1, 2]);
        expect([...restored.counts()]).toEqual(modelCounts([...newest, [1, 1, 2]].slice(-Math.min(capacity, shorter))));
      }),
      { numRuns: 500 },
    );
  });
});

describe('TimeCounterWindow', () => {
  it('counts the records of the newest sub-buckets, whatever order their times come in, and restores what it saved', () => {
    // 10 s in 5 sub-buckets of 2 s; steps mostly within a sub-bucket, some back, some past the window.
    const step = fc.oneof(
      fc.record({ dt: fc.double({ min: -3, max: 1.5, noNaN: true }), events: fc.array(fc.nat({ max: KINDS - 1 }), { maxLength: 3 }), advance: fc.constant(false) }),
      fc.record({ dt: fc.double({ min: 5, max: 25, noNaN: true }), events: fc.constant([] as number[]), advance: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), fc.nat({ max: 120 }), (steps, restoreAt) => {
        let w = new TimeCounterWindow(10, KINDS, 5);
        const kept: { epoch: number; events: number[] }[] = [];
        let newest = -Infinity;
        let t = 1000;
        steps.forEach((s, i) => {
          if (i === restoreAt) {
            const restored = new TimeCounterWindow(10, KINDS, 5);
            restored.restore(JSON.parse(JSON.stringify(w.snapshot())));
            w = restored;
          }
          if (s.advance) {
            // The clock moves past the window; the next records' times go on from where they were.
            w.advance(t + s.dt);
            newest = Math.max(newest, Math.floor((t + s.dt) / 2));
            return;
          }
          t += s.dt;
          const epoch = Math.floor(t / 2);
          newest = Math.max(newest, epoch);
          w.add(t, s.events);
          kept.push({ epoch, events: s.events });
          const inWindow = kept.filter((r) => r.epoch > newest - 5);
          expect(w.records()).toBe(inWindow.length);
          expect([...w.counts()]).toEqual(modelCounts(inWindow.map((r) => r.events)));
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('addRun', () => {
  it('leaves a count or time window as add() of the same records one at a time does', () => {
    // Times mostly stepping within a 2 s sub-bucket, some back, some past the 10 s window; runs of any length.
    const record = fc.record({ dt: fc.oneof(fc.double({ min: -3, max: 1.5, noNaN: true }), fc.double({ min: 5, max: 25, noNaN: true })), events: fc.array(fc.nat({ max: KINDS - 1 }), { maxLength: 5 }) });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 100 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 12 }), (records, runs, capacity) => {
        for (const make of [() => new CountCounterWindow(capacity, KINDS), () => new TimeCounterWindow(10, KINDS, 5)]) {
          const [one, batched] = [make(), make()];
          let t = 1000;
          const times = records.map((r) => (t += r.dt));
          records.forEach((r, i) => one.add(times[i], r.events));
          for (let from = 0, k = 0; from < records.length; from += runs[k++ % runs.length]) {
            const run = records.slice(from, from + runs[k % runs.length]);
            const events = Uint32Array.from(run.flatMap((r) => r.events));
            batched.addRun(Float64Array.from(times.slice(from, from + run.length)), Uint32Array.from(run, (r) => r.events.length), events, run.length);
          }
          expect([...batched.counts()]).toEqual([...one.counts()]);
          expect(batched.records()).toBe(one.records());
          expect(JSON.stringify(batched.snapshot())).toBe(JSON.stringify(one.snapshot()));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('can fail: a run that drops a record is told apart', () => {
    const [one, batched] = [new CountCounterWindow(4, KINDS), new CountCounterWindow(4, KINDS)];
    one.add(0, [1]);
    one.add(0, [2]);
    batched.addRun(new Float64Array(2), Uint32Array.of(1, 1), Uint32Array.of(1, 2), 1);
    expect([...batched.counts()]).not.toEqual([...one.counts()]);
  });
});
