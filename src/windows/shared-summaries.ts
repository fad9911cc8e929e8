/**
 * One sort of a numeric feature's last N values for both analyzers that keep them: drift's count
 * window (KS and Wasserstein sort it) and data quality's value window of the same size (its summary
 * sorts it), which hold the same values once N records have passed since drift's warm-up (the same
 * records, no failed request among them). Each keeps its own ring (pushes stay a store:
 * docs/performance.md, "Own value rings"); the drift tick, which runs first, leaves the summary of
 * what it sorted here, and data quality takes it for a window that holds the same values, compared
 * value by value (~10 µs for 10,000 values, against ~250 µs to sort them again). Anything else
 * (the windows differ, a record came in between, drift ran no sample method) sorts as before.
 */
import { summarizeSorted } from '../stats/value-summary.js';
import type { CountValues } from './count-values.js';
import type { CountWindow } from './count-window.js';

interface Offered {
  window: CountWindow;
  /** The window's version when it was sorted: a later push makes the summary stale. */
  version: number;
  summary: Float64Array | undefined;
}

/** The key of one feature's count window of one model version. */
export function summaryKey(model: string, version: string, feature: string, count: number): string {
  return `${model}\u0000${version}\u0000${feature}\u0000${count}`;
}

export class SharedSummaries {
  private readonly offered = new Map<string, Offered>();
  /** Sizes of the count windows data quality keeps (none when it is off): only those are worth summarizing. */
  private readonly counts = new Set<number>();

  /** Data quality, at its start: it keeps count windows of this size. */
  want(count: number): void {
    this.counts.add(count);
  }

  /** At the start of the drift tick: what the last one left is stale, or of a model version since evicted. */
  clear(): void {
    this.offered.clear();
  }

  /** Whether a count window of this size is worth offering (data quality keeps one). */
  wants(count: number): boolean {
    return this.counts.has(count);
  }

  /** Drift: its count window's values, sorted (read now: the array is the tick's scratch). */
  offer(key: string, window: CountWindow, sorted: Float64Array): void {
    this.offered.set(key, { window, version: window.version, summary: summarizeSorted(sorted) });
  }

  /**
   * Data quality: the summary of `values`' values when drift sorted a window holding the same ones
   * (unchanged since); `null` when none did (summarize them).
   */
  summaryOf(key: string, values: CountValues): Float64Array | undefined | null {
    const o = this.offered.get(key);
    if (o === undefined || o.window.version !== o.version || !values.sameValuesAs(o.window)) return null;
    return o.summary;
  }
}
