/**
 * A model version's records on their way into its drift windows: each record's time and each
 * feature's value as staged (FeatureDrift.stageColumn: a number, NaN when missing, or a category's
 * bin), up to `capacity` records. flush() hands them to the windows feature by feature, so each
 * window takes a run of records in one loop of its own (docs/performance.md, drift's batches).
 */
import type { FeatureDrift } from '../windows/feature-drift.js';

export class StagedRecords {
  readonly times: Float64Array;
  /** Per feature (the model's featureDrifts order): the staged values. */
  readonly columns: Float64Array[];
  /** The staged times' earliest and latest, when flushed (a time window takes a run within one sub-bucket whole). */
  private readonly range = new Float64Array(2);
  /** Records staged. */
  n = 0;
  /** Whether the analyzer lists it among those to flush. */
  listed = false;

  constructor(
    readonly capacity: number,
    private readonly features: readonly FeatureDrift[],
  ) {
    this.times = new Float64Array(capacity);
    this.columns = features.map(() => new Float64Array(capacity));
  }

  /** Every staged record into the windows, feature by feature. */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    // Emptied first: a window that throws does not have the same records pushed again.
    this.n = 0;
    // The run's earliest and latest time, found once for all its features (NaN if a time is NaN).
    const times = this.times;
    let earliest = times[0];
    let latest = earliest;
    for (let k = 1; k < n; k++) {
      earliest = Math.min(earliest, times[k]);
      latest = Math.max(latest, times[k]);
    }
    const range = this.range;
    range[0] = earliest;
    range[1] = latest;
    const features = this.features;
    for (let i = 0; i < features.length; i++) features[i].observeStaged(times, this.columns[i], n, range);
  }
}
