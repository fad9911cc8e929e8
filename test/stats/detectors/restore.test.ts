/**
 * A detector restored from another's snapshot (through JSON, as the checkpoint stores it) goes on
 * exactly as the uninterrupted one: same state at every later update, so a drift is detected at
 * the same value, and no warm-up starts again. Detections are not carried in the snapshot (the
 * exposition carries that counter), so before + after adds up to the uninterrupted count.
 */
import { describe, expect, it } from 'vitest';
import { Adwin } from '../../../src/stats/detectors/adwin.js';
import { Ddm } from '../../../src/stats/detectors/ddm.js';
import type { DriftDetector } from '../../../src/stats/detectors/detector.js';
import { PageHinkley } from '../../../src/stats/detectors/page-hinkley.js';
import { carsStreams, suddenStream } from './streams.js';

const factories: Record<string, () => DriftDetector> = {
  adwin: () => new Adwin(),
  page_hinkley: () => new PageHinkley({ threshold: 20 }),
  ddm: () => new Ddm(),
};

function states(detector: DriftDetector, values: Float64Array): number[] {
  return Array.from(values, (x) => {
    detector.update(x);
    return detector.state;
  });
}

const roundTrip = (d: DriftDetector): unknown => JSON.parse(JSON.stringify(d.snapshot()));

describe.each(Object.keys(factories))('%s across a restart', (name) => {
  const stream = suddenStream(42).values;
  const uninterrupted = factories[name]();
  const expected = states(uninterrupted, stream);
  const firstDrift = expected.indexOf(2);

  it('detects its first drift on the sudden stream (so the cut points below mean something)', () => {
    expect(firstDrift).toBeGreaterThan(1000);
  });

  // During warm-up, mid-stream, the value before the first drift, the drift itself (its state
  // decides the restart on the next value), and after it.
  const cuts = () => [10, 500, firstDrift - 1, firstDrift, firstDrift + 37];
  it('gives the same state at every later value, whichever value it was interrupted at', () => {
    for (const cut of cuts()) {
      const before = factories[name]();
      const head = states(before, stream.subarray(0, cut));
      const after = factories[name]();
      after.restore(roundTrip(before));
      expect(after.state, `cut ${cut}`).toBe(before.state);
      expect(after.detections, 'detections are not restored (a counter, carried over by the exposition)').toBe(0);
      const tail = states(after, stream.subarray(cut));
      expect([...head, ...tail], `cut ${cut}`).toEqual(expected);
      expect(before.detections + after.detections).toBe(uninterrupted.detections);
    }
  });

  it('refuses the state of another detector, or a damaged one, and stays as it was', () => {
    const other = name === 'ddm' ? new Adwin() : new Ddm();
    states(other, stream.subarray(0, 300));
    const d = factories[name]();
    states(d, stream.subarray(0, 200));
    const own = d.snapshot();
    expect(() => d.restore(other.snapshot())).toThrow(/saved detector is/);
    expect(() => d.restore({ ...own, state: 7 })).toThrow(/0, 1 or 2/);
    expect(() => d.restore(null)).toThrow(/not an object/);
    expect(d.snapshot()).toEqual(own);
  });
});

describe('detector snapshots', () => {
  it('ADWIN checks its bucket rows against its width', () => {
    const d = new Adwin();
    states(d, suddenStream(1).values.subarray(0, 700));
    const saved = roundTrip(d) as { width: number; rows: unknown[] };
    expect(saved.rows.length).toBeGreaterThan(3);
    expect(() => new Adwin().restore({ ...saved, width: saved.width + 1 })).toThrow(/width/);
    expect(() => new Adwin().restore({ ...saved, rows: saved.rows.slice(1) })).toThrow(/width/);
    const restored = new Adwin();
    restored.restore(saved);
    expect(restored.windowWidth).toBe(d.windowWidth);
    expect(restored.bucketCount).toBe(d.bucketCount);
    expect(restored.estimate).toBe(d.estimate);
  });

  it('DDM keeps its minimum through JSON (Infinity before the warm-up ends)', () => {
    const fresh = new Ddm();
    fresh.update(0);
    const early = roundTrip(fresh) as { pMin: unknown };
    expect(early.pMin).toBeNull();
    const restored = new Ddm();
    restored.restore(early);
    expect(states(restored, suddenStream(3).values)).toEqual(states(fresh, suddenStream(3).values));
  });

  it('Page-Hinkley on real errors (vega cars MPG): the drift lands on the same record after a restart', () => {
    const { real } = carsStreams();
    const expected = states(new PageHinkley({ threshold: 20 }), real.values);
    const at = expected.indexOf(2);
    expect(at).toBeGreaterThan(0);
    const before = new PageHinkley({ threshold: 20 });
    states(before, real.values.subarray(0, at - 5));
    const after = new PageHinkley({ threshold: 20 });
    after.restore(roundTrip(before));
    expect(states(after, real.values.subarray(at - 5)).indexOf(2) + at - 5).toBe(at);
  });
});
