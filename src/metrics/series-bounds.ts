/**
 * The last line of defence for cardinality and size: every family the exposition captures passes
 * through here, so a metric added tomorrow is bounded without remembering to be. Label values longer
 * than the limit are cut with a marker (core/label-value.ts); past the per-family series limit the
 * remaining label sets are left out. Both are counted per family, as of the last capture, and
 * exposed by the exposition (modelwatch_exposition_label_values_truncated,
 * modelwatch_exposition_series_capped). Analyzers still cap their own label values first (models,
 * classes, reasons fold into `__overflow__`); this guard is what makes the bound unconditional.
 */
import { boundLabelValue, DEFAULT_MAX_LABEL_VALUE_LENGTH } from '../core/label-value.js';
import type { Sample } from './sample.js';

export interface SeriesLimits {
  maxLabelValueLength: number;
  /** Label sets per family (a histogram's buckets, sum and count are one label set). */
  maxSeriesPerMetric: number;
}

export const DEFAULT_SERIES_LIMITS: SeriesLimits = { maxLabelValueLength: DEFAULT_MAX_LABEL_VALUE_LENGTH, maxSeriesPerMetric: 10_000 };

function labelSetKey(s: Sample, withLe: boolean): string {
  let k = withLe ? (s.metricName ?? '') : '';
  for (const [n, v] of Object.entries(s.labels)) if (withLe || n !== 'le') k += `\u0001${n}\u0002${v}`;
  return k;
}

export class SeriesBounds {
  /** family → label values cut in its last capture */
  readonly truncated = new Map<string, number>();
  /** family → label sets left out of its last capture (over the limit, or duplicates once cut) */
  readonly capped = new Map<string, number>();

  constructor(readonly limits: SeriesLimits = DEFAULT_SERIES_LIMITS) {}

  bound(family: string, samples: Sample[]): Sample[] {
    const max = this.limits.maxLabelValueLength;
    let cut = 0;
    let out = samples;
    for (let i = 0; i < samples.length; i++) {
      const labels = samples[i].labels;
      let copy: Record<string, string | number> | undefined;
      for (const name in labels) {
        const v = labels[name];
        if (typeof v !== 'string' || v.length <= max) continue;
        copy ??= { ...labels };
        copy[name] = boundLabelValue(v, max);
        cut++;
      }
      if (copy) {
        if (out === samples) out = samples.slice();
        out[i] = { ...samples[i], labels: copy };
      }
    }
    let left = 0;
    // Cut values could now collide, and only a family with more samples than the limit can have
    // more label sets than it: otherwise nothing more to check.
    if (cut > 0 || out.length > this.limits.maxSeriesPerMetric) [out, left] = this.cap(out);
    this.record(this.truncated, family, cut);
    this.record(this.capped, family, left);
    return out;
  }

  /** A family written with nothing cut and nothing left out (checked by the writer as it went). */
  unbounded(family: string): void {
    this.truncated.delete(family);
    this.capped.delete(family);
  }

  private cap(samples: Sample[]): [Sample[], number] {
    const sets = new Set<string>();
    const refused = new Set<string>();
    const seen = new Set<string>();
    const kept: Sample[] = [];
    for (const s of samples) {
      const full = labelSetKey(s, true);
      if (seen.has(full)) {
        refused.add(`dup${full}`);
        continue;
      }
      const set = labelSetKey(s, false);
      if (!sets.has(set)) {
        if (sets.size >= this.limits.maxSeriesPerMetric) {
          refused.add(set);
          continue;
        }
        sets.add(set);
      }
      seen.add(full);
      kept.push(s);
    }
    return [kept, refused.size];
  }

  private record(m: Map<string, number>, family: string, n: number): void {
    if (n > 0) m.set(family, n);
    else m.delete(family);
  }
}
