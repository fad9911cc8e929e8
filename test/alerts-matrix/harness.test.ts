/**
 * The matrix's harness is exact: the compressed `values` notation is what promtool reads back sample
 * for sample (staleness markers and gaps included), promtool's printed vectors and durations parse,
 * and an exposition line with escaped label values becomes the right series.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/stats/random.js';
import { durationMinutes, parseVector, runRules } from './harness/promtool-alerts.js';
import { inputSeries, valuesNotation } from './harness/promtool-series.js';
import { SeriesSet } from './harness/series.js';

describe('promtool values notation', () => {
  it('compresses runs: equal values, integer steps, gaps and staleness markers', () => {
    expect(valuesNotation([1, 1, 1, 2, 4, 6, 8, '_', '_', 'stale', 0.5, 0.5, 0.25])).toBe('1x2 2+2x3 _x2 stale 0.5x1 0.25');
    expect(valuesNotation([10, 7, 4, 1e-7, Infinity, NaN, NaN])).toBe('10-3x2 1e-7 Inf NaNx1');
  });

  it('promtool reads back every sample exactly, and a series that disappears goes stale', async () => {
    const rand = mulberry32(42);
    const set = new SeriesSet(1_772_409_600, 60);
    const expected: (number | undefined)[] = [];
    const lines: string[] = [];
    let counter = 0;
    for (let step = 0; step < 120; step++) {
      const t = 1_772_409_600 + step * 60;
      const r = rand();
      // Runs of counts, of repeated and of arbitrary floats, and gaps while the target is scraped.
      const v = r < 0.15 ? undefined : r < 0.5 ? (counter += Math.floor(rand() * 3)) : r < 0.7 ? 0.3 : rand() * 1e3;
      expected.push(v);
      lines.push(`up_marker 1 ${t}`);
      if (v !== undefined) lines.push(`x{k="v"} ${v} ${t}`);
    }
    set.addText(lines.join('\n'), { job: 'j' }, () => true);
    const series = inputSeries(set);
    const queries = expected.map((_, m) => ({ expr: 'x', atMinute: m }));
    const run = await runRules({ dir: mkdtempSync(join(tmpdir(), 'mw-notation-')), ruleFiles: [], groupOrder: [], series, stepSeconds: 60, evaluationMinutes: 1, untilMinute: 0, queries });
    const got = expected.map((_, m) => run.queries.get(`x@${m}`)?.[0]?.value);
    // A missing sample right after a present one is a staleness marker: the series is gone at that
    // step; a longer gap is missing samples, and the lookback still finds the last value.
    const seen = expected.map((v, m) => (v !== undefined ? v : expected[m - 1] === undefined && m > 0 ? lastBefore(expected, m) : undefined));
    for (let m = 0; m < expected.length; m++) {
      if (seen[m] === undefined) expect(got[m], `minute ${m}`).toBeUndefined();
      else expect(got[m], `minute ${m}`).toBe(seen[m]);
    }
  });
});

/** The value the 5-minute lookback finds at step m when the step before was itself missing. */
function lastBefore(values: (number | undefined)[], m: number): number | undefined {
  let i = m - 1;
  while (i >= 0 && values[i] === undefined) i--;
  // Stale after the first missing step: nothing is found past a staleness marker.
  return i >= 0 && i === m - 1 ? values[i] : undefined;
}

describe('promtool output', () => {
  it('parses the vectors and durations promtool prints', () => {
    expect(parseVector('{__name__="ALERTS", a="x\\"y", b="1"} 1E+00, {c="}, {"} 2.5E+00')).toEqual([
      { labels: { __name__: 'ALERTS', a: 'x"y', b: '1' }, value: 1 },
      { labels: { c: '}, {' }, value: 2.5 },
    ]);
    expect(durationMinutes('1d2h3m')).toBe(1563);
    expect(durationMinutes('45m')).toBe(45);
    expect(durationMinutes('0s')).toBe(0);
  });

  it('an exposition line with escaped label values is one series, with the target labels added', () => {
    const set = new SeriesSet(0, 60);
    set.addText('m{a="q\\"uote",b="back\\\\slash"} 3 60\nm{a="q\\"uote",b="back\\\\slash"} 4 120', { job: 'j', instance: 'i:1' }, () => true);
    const all = [...set.all()];
    expect(all.find((s) => s.name === 'm')).toMatchObject({ labels: { a: 'q"uote', b: 'back\\slash', job: 'j', instance: 'i:1' } });
    expect([...all.find((s) => s.name === 'm')!.values]).toEqual([[1, 3], [2, 4]]);
    expect([...all.find((s) => s.name === 'up')!.values]).toEqual([[1, 1], [2, 1]]);
  });
});
