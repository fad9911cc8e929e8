/**
 * A feature's windows taking staged runs of records (FeatureDrift.stageColumn / stage, then
 * observeStaged: TimeWindow.pushCounted, CountWindow.pushCounted) hold exactly what observe(), one
 * record at a time, leaves in them: bins, counts, raw values and reservoir draws, missing counts,
 * versions, the checkpoint, the bin totals and the tick's results.
 */
import { describe, expect, it, vi } from 'vitest';
import { StagedRecords } from '../../src/analyzers/staged-records.js';
import { featureColumns, FALSE, NULL, NUMBER, STRING, TRUE } from '../../src/core/feature-columns.js';
import { Mulberry32 } from '../../src/stats/random.js';
import { FeatureBinner } from '../../src/windows/feature-binner.js';
import { FeatureDrift } from '../../src/windows/feature-drift.js';
import { profileColumn, type RawValue } from '../../src/windows/reference-profile.js';
import { TimeWindow } from '../../src/windows/time-window.js';
import { TIME, VALUE, windowInput } from '../../src/windows/window-input.js';

const SPECS = [
  { label: 'last_200', count: 200 },
  { label: '1m', seconds: 60 },
  { label: 'last_37', count: 37 },
  { label: '10m', seconds: 600 },
];

function feature(type: 'numeric' | 'categorical', maxWindowValues = 60): FeatureDrift {
  const reference = Array.from({ length: 500 }, (_, i) => (type === 'numeric' ? (i * 7919) % 100 : ['a', 'b', 'c'][i % 3]));
  const profile = profileColumn(reference, type, { bins: 10, maxCategories: 50, maxSample: 1e6 });
  // 60 values a window: 2 a sub-bucket, so most values past the first go through the reservoir's draws.
  return new FeatureDrift(new FeatureBinner(profile, 3), Float64Array.from(profile.type === 'numeric' ? profile.sample : []), SPECS, { methods: ['psi', 'ks', 'wasserstein', 'chi_squared'].filter((m) => type === 'numeric' || m === 'psi' || m === 'chi_squared') as never, primary: 'psi', thresholds: {}, minSamples: 10, maxWindowValues });
}

/** Times that mostly creep forward, sometimes step back (late records, some too late) or jump past the windows. */
function times(n: number, rnd: Mulberry32): number[] {
  let t = 1_715_688_000;
  return Array.from({ length: n }, () => {
    const r = rnd.next();
    t += r < 0.003 ? 700 : r < 0.01 ? 45 : rnd.next() * 0.3;
    return rnd.next() < 0.03 ? t - rnd.next() * 900 : t;
  });
}

const NUMERIC_RAW: RawValue[] = [1.5, 42, 99.9, -3, -0, NaN, Infinity, -Infinity, '3.5', ' 7 ', 'abc', '', null, true, false, undefined, 1e300];
const CATEGORICAL_RAW: RawValue[] = ['a', 'b', 'c', 'a', 'new1', 'new2', 'new3', 'new4', 7, true, false, null, '', undefined];

/** The state one can compare: checkpoint, bin totals, and per window its version, counts, values, missing. */
function state(fd: FeatureDrift): unknown {
  return {
    snapshot: JSON.stringify(fd.snapshot()),
    totals: [...fd.binTotals],
    windows: fd.windows.map((w) => ({ version: w.version, counts: [...w.counts()], values: [...w.values()], missing: w.missing(), size: w.size() })),
  };
}

describe('staged runs into a feature\'s windows', () => {
  for (const type of ['numeric', 'categorical'] as const) {
    it(`leave a ${type} feature's windows as observe() does, record by record (object rows)`, () => {
      const rnd = new Mulberry32(type === 'numeric' ? 1 : 2);
      const raws = type === 'numeric' ? NUMERIC_RAW : CATEGORICAL_RAW;
      const ts = times(6000, rnd);
      const values = ts.map(() => raws[rnd.below(raws.length)]);
      const one = feature(type);
      const staged = feature(type);
      const run = new StagedRecords(64, [staged]);
      for (let i = 0; i < ts.length; i++) {
        one.observe(ts[i], values[i]);
        staged.stage(values[i], run.columns[0], run.n);
        run.times[run.n++] = ts[i];
        // Runs of odd lengths, ended by reads mid-run as well as by a full run.
        if (run.n === run.capacity || rnd.next() < 0.03) run.flush();
        if (i % 997 === 0) {
          run.flush();
          expect(state(staged)).toEqual(state(one));
        }
      }
      run.flush();
      expect(state(staged)).toEqual(state(one));
      one.compute(ts.at(-1)!);
      staged.compute(ts.at(-1)!);
      expect(one.results.some((r) => r.methods !== undefined && r.methods.size > 0)).toBe(true);
      expect(staged.results).toEqual(one.results);
    });
  }

  for (const type of ['numeric', 'categorical'] as const) {
    it(`leave a ${type} feature's windows as observe() does when runs fall whole in a sub-bucket (added as a whole)`, () => {
      // Dense times (~400 a 2 s sub-bucket, 20 values kept in each: fills, then Algorithm L's takes),
      // now and then a late record or a jump, and a missing value in some runs: both paths run.
      const rnd = new Mulberry32(type === 'numeric' ? 21 : 22);
      let t = 1_715_688_000;
      const ts = Array.from({ length: 30_000 }, () => {
        const r = rnd.next();
        t += r < 0.0005 ? 70 : rnd.next() * 0.01;
        return r > 0.999 ? t - 5 : t;
      });
      const raw = (): RawValue => (rnd.next() < 0.002 ? null : type === 'numeric' ? rnd.next() * 100 : ['a', 'b', 'c', 'new1'][rnd.below(4)]);
      const values = ts.map(raw);
      const one = feature(type, 600);
      const staged = feature(type, 600);
      const run = new StagedRecords(256, [staged]);
      const whole = vi.spyOn(TimeWindow.prototype as unknown as { addRun(): void }, 'addRun');
      const stepwise = vi.spyOn(TimeWindow.prototype as unknown as { pushRun(): void }, 'pushRun');
      for (let i = 0; i < ts.length; i++) {
        one.observe(ts[i], values[i]);
        staged.stage(values[i], run.columns[0], run.n);
        run.times[run.n++] = ts[i];
        if (run.n === run.capacity || rnd.next() < 0.005) run.flush();
        if (i % 4999 === 0) {
          run.flush();
          expect(state(staged)).toEqual(state(one));
        }
      }
      run.flush();
      expect(state(staged)).toEqual(state(one));
      expect(whole.mock.calls.length).toBeGreaterThan(50);
      expect(stepwise.mock.calls.length).toBeGreaterThan(10);
      whole.mockRestore();
      stepwise.mockRestore();
      one.compute(ts.at(-1)!);
      staged.compute(ts.at(-1)!);
      expect(staged.results).toEqual(one.results);
    });
  }

  it('leave a numeric feature\'s windows as observe() does (lent columns)', () => {
    const rnd = new Mulberry32(5);
    const one = feature('numeric');
    const staged = feature('numeric');
    const run = new StagedRecords(50, [staged]);
    const columns = featureColumns(2);
    columns.keys = ['other', 'x'];
    const ts = times(5000, rnd);
    for (let i = 0; i < ts.length; i++) {
      // The value at position 1 (or absent: −1), and the same value as an object row holds it.
      const r = rnd.next();
      let raw: RawValue;
      let p = 1;
      if (r < 0.05) {
        p = -1;
        raw = undefined;
      } else if (r < 0.1) {
        columns.kinds[1] = STRING;
        columns.strings[1] = ['2.5', 'x', ' 80 ', ''][rnd.below(4)];
        raw = columns.strings[1];
      } else if (r < 0.13) {
        columns.kinds[1] = [TRUE, FALSE, NULL][rnd.below(3)];
        raw = columns.kinds[1] === TRUE ? true : columns.kinds[1] === FALSE ? false : null;
      } else {
        columns.kinds[1] = NUMBER;
        columns.numbers[1] = r < 0.15 ? [Infinity, -Infinity, NaN][rnd.below(3)] : rnd.next() * 120 - 10;
        raw = columns.numbers[1];
      }
      one.observe(ts[i], raw);
      staged.stageColumn(columns, p, run.columns[0], run.n);
      run.times[run.n++] = ts[i];
      if (run.n === run.capacity || rnd.next() < 0.02) run.flush();
    }
    run.flush();
    expect(state(staged)).toEqual(state(one));
  });

  it('leave a time window pushed one observation at a time (queued) as pushes applied at once do, whenever it is read', () => {
    const rnd = new Mulberry32(9);
    const input = windowInput();
    const queued = new TimeWindow(120, 3, 40, 12);
    const direct = new TimeWindow(120, 3, 40, 12, input);
    const ts = times(20_000, rnd);
    const read = (w: TimeWindow, how: number) =>
      how === 0 ? JSON.stringify(w.snapshot()) : how === 1 ? [...w.counts()] : how === 2 ? [...w.values()] : how === 3 ? w.missing() : how === 4 ? w.size() : w.version;
    for (let i = 0; i < ts.length; i++) {
      const bin = rnd.next() < 0.1 ? -1 : rnd.below(3);
      const value = rnd.next() * 100;
      queued.push(ts[i], value, bin);
      input[TIME] = ts[i];
      input[VALUE] = value;
      direct.pushInput(bin);
      if (rnd.next() < 0.002) {
        queued.advance(ts[i]);
        direct.advance(ts[i]);
      }
      if (rnd.next() < 0.01) {
        const how = rnd.below(6);
        expect(read(queued, how)).toEqual(read(direct, how));
      }
    }
    expect(JSON.stringify(queued.snapshot())).toBe(JSON.stringify(direct.snapshot()));
    expect(queued.version).toBe(direct.version);
    expect(queued.size()).toBeGreaterThan(0);
  });
});
