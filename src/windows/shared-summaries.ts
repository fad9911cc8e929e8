/**
 * One sort of a numeric feature's last N values for both analyzers that keep them: drift's count
 * window (KS and Wasserstein sort it) and data quality's value window of the same size (its summary
 * sorts it). Each keeps its own ring (a push stays a store: docs/performance.md, "Own value
 * rings"), and the two hold nearly the same values: data quality's also holds the failed requests'
 * (drift leaves those out), so drift's reaches back as many records further. The drift tick, which
 * runs first, sorts its window anyway; here data quality's sorted values are made from those: the
 * two rings compared newest first (CountWindow.diffValues: ~15 µs for 10,000 values), the few
 * values drift's window has and data quality's does not taken out, the few it lacks merged in (both
 * sorted). Same multiset, same order of keys: the same array, bit for bit, as sorting its own ring
 * (~250 µs), and the same summary. Where the rings differ by more than a sixteenth, or a record came
 * in between, or drift ran no sample method, data quality sorts its own window as before.
 */
import { KeptScratch } from '../core/kept-scratch.js';
import { summarizeSorted } from '../stats/value-summary.js';
import type { CountValues } from './count-values.js';
import type { CountWindow } from './count-window.js';
import { mergeExcept } from './window.js';

interface Derived {
  window: CountValues;
  /** Its version when the summary was made: a later push makes the summary stale. */
  version: number;
  summary: Float64Array | undefined;
}

/** The key of one feature's count window of one model version. */
export function summaryKey(model: string, version: string, feature: string, count: number): string {
  return `${model}\u0000${version}\u0000${feature}\u0000${count}`;
}

/** Drift's count window of one model version's feature and size, where it keeps one. */
export type DriftWindowLookup = (model: string, version: string, feature: string, count: number) => CountWindow | undefined;

export class SharedSummaries {
  /**
   * Drift's count windows, for data quality's checkpoint: its value rings are saved as what they
   * hold beyond drift's of the same size (ring-against.ts). Set by drift; none without it.
   */
  driftWindow: DriftWindowLookup = () => undefined;
  /** Data quality's count windows by key, as its last tick found them. */
  private quality = new Map<string, CountValues>();
  /** What the drift tick made of them. */
  private readonly derived = new Map<string, Derived>();
  /** diffValues' output, kept between calls. */
  private added = new Float64Array(0);
  private dropped = new Float64Array(0);
  private readonly counts = new Int32Array(2);
  /** The merge's output, kept up to 1 MiB; a larger window's merge gets an array of its own. */
  private readonly merged = new KeptScratch((n) => new Float64Array(n), 1 << 17);

  /** At the start of the drift tick: what the last one made is stale. */
  beginDrift(): void {
    this.derived.clear();
  }

  /** At the start of data quality's tick: it lists its windows again (a model version evicted since is forgotten). */
  beginQuality(): void {
    this.quality = new Map();
  }

  /** Data quality: one of its count windows, for the next drift tick to summarize from its own sort. */
  register(key: string, window: CountValues): void {
    this.quality.set(key, window);
  }

  /** Drift: its count window's values, sorted (read now: the array is the tick's scratch). */
  offer(key: string, window: CountWindow, sorted: Float64Array): void {
    const values = this.quality.get(key);
    if (values === undefined) return;
    const theirs = this.sortedLike(values, window, sorted);
    if (theirs !== undefined) this.derived.set(key, { window: values, version: values.version, summary: summarizeSorted(theirs) });
  }

  /** Data quality: its window's summary, made from drift's sort of the window's values as they are now; null if none was. */
  summaryOf(key: string, values: CountValues): Float64Array | undefined | null {
    const d = this.derived.get(key);
    return d !== undefined && d.window === values && d.version === values.version ? d.summary : null;
  }

  /** `values`' values sorted, from drift's window's `sorted` ones and the two rings' difference; undefined when they differ too much. */
  private sortedLike(values: CountValues, window: CountWindow, sorted: Float64Array): Float64Array | undefined {
    const limit = Math.max(64, sorted.length >> 4);
    if (this.added.length < limit) {
      this.added = new Float64Array(limit);
      this.dropped = new Float64Array(limit);
    }
    const counts = this.counts;
    if (!values.diffFrom(window, this.added.subarray(0, limit), this.dropped.subarray(0, limit), counts)) return undefined;
    const nAdded = counts[0];
    const nDropped = counts[1];
    if (nAdded === 0 && nDropped === 0) return sorted;
    // The built-in sort's order is the radix sort's (−0 before +0): the few values, sorted alike.
    const added = this.added.subarray(0, nAdded).sort();
    const dropped = this.dropped.subarray(0, nDropped).sort();
    const n = sorted.length - nDropped + nAdded;
    const out = this.merged.room(n);
    // Every dropped value is one of drift's (diffValues): a miss would be a bug, and is not trusted.
    // (n written only when every dropped value was found.)
    return mergeExcept(sorted, dropped, added, out) === n ? out : undefined;
  }
}
