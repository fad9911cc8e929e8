/**
 * Series as promtool's `input_series`: one `values` string per series on the step grid, in the
 * expanding notation of `promtool test rules` (docs: "Unit testing for rules"):
 *
 *   `a`      one sample            `axn`     a, repeated: n + 1 samples
 *   `a+bxn`  a, a+b, …, a+n·b      `_xn`     n missing samples      `stale`  a staleness marker
 *
 * A step where the target was scraped but the series was not exposed after it had been is a
 * staleness marker, as Prometheus writes one when a series disappears from a scrape; other absent
 * steps are missing. Arithmetic runs are used only for integers (exact in any float order of
 * evaluation); other values repeat only when equal, so every sample is the replayed one exactly.
 */
import type { Series, SeriesSet, Target } from './series.js';

export interface InputSeries {
  series: string;
  values: string;
}

function number(v: number): string {
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

type Cell = number | '_' | 'stale';

function cells(s: Series, target: Target, steps: number): Cell[] {
  const out: Cell[] = [];
  for (let i = 0; i < steps; i++) {
    const v = s.values.get(i);
    if (v !== undefined) out.push(v);
    else out.push(i > 0 && s.values.has(i - 1) && i >= target.first && i <= target.last ? 'stale' : '_');
  }
  return out;
}

/** The compressed `values` string of a series. */
export function valuesNotation(c: readonly Cell[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < c.length) {
    const v = c[i];
    if (v === 'stale') {
      out.push('stale');
      i++;
      continue;
    }
    let j = i + 1;
    if (v === '_') {
      while (j < c.length && c[j] === '_') j++;
      out.push(j - i === 1 ? '_' : `_x${j - i}`);
      i = j;
      continue;
    }
    const next = c[j];
    const arithmetic = typeof next === 'number' && Number.isInteger(v) && Number.isInteger(next) && Math.abs(v) < 2 ** 52 && Math.abs(next) < 2 ** 52;
    const b = arithmetic ? (next as number) - v : 0;
    while (j < c.length && typeof c[j] === 'number' && (arithmetic ? c[j] === v + (j - i) * b : Object.is(c[j], v) || (Number.isNaN(c[j] as number) && Number.isNaN(v)))) j++;
    const n = j - i - 1;
    if (n === 0) out.push(number(v));
    else if (b === 0) out.push(`${number(v)}x${n}`);
    else out.push(`${number(v)}${b > 0 ? '+' : '-'}${Math.abs(b)}x${n}`);
    i = j;
  }
  return out.join(' ');
}

function selector(s: Series): string {
  const labels = Object.keys(s.labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(s.labels[k])}`);
  return `${s.name}{${labels.join(', ')}}`;
}

/** Every series of the set (and each target's `up`) as promtool input series. */
export function inputSeries(set: SeriesSet): InputSeries[] {
  const steps = set.steps;
  const out: InputSeries[] = [];
  for (const s of set.all()) out.push({ series: selector(s), values: valuesNotation(cells(s, set.targets.get(s.target)!, steps)) });
  return out;
}
