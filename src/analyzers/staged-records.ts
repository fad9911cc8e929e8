/**
 * A model version's records on their way into its drift windows: each record's time and each
 * feature's value as staged (FeatureDrift.stageColumn: a number, NaN when missing, or a category's
 * bin), up to `capacity` records. flush() hands them to the windows feature by feature, so each
 * window takes a run of records in one loop of its own (docs/performance.md, drift's batches).
 *
 * Drift's values for a value ring shared with data quality (windows/shared-value-ring.ts; opt-in,
 * none by default: each window keeps its own values) do not wait: they go in as each record is
 * staged, so data quality's push of the same record, which comes next, still finds drift's entry
 * newest and takes it (the two windows keep one copy of the values).
 */
import type { FeatureDrift } from '../windows/feature-drift.js';
import { DRIFT, type SharedValueRing } from '../windows/shared-value-ring.js';

export class StagedRecords {
  readonly times: Float64Array;
  /** Per feature (the model's featureDrifts order): the staged values. */
  readonly columns: Float64Array[];
  /** Records staged. */
  n = 0;
  /** Whether the analyzer lists it among those to flush. */
  listed = false;
  private readonly rings: SharedValueRing[] = [];
  /** Per ring: the column of the feature it holds the values of. */
  private readonly ringColumns: Float64Array[] = [];

  constructor(
    readonly capacity: number,
    private readonly features: readonly FeatureDrift[],
  ) {
    this.times = new Float64Array(capacity);
    this.columns = features.map(() => new Float64Array(capacity));
    features.forEach((fd, i) => {
      for (const ring of fd.sharedRings()) {
        this.rings.push(ring);
        this.ringColumns.push(this.columns[i]);
      }
    });
  }

  /** Drift's values of record k, just staged, into the shared value rings (NaN where missing, as the rings hold them). */
  shareValues(k: number): void {
    const rings = this.rings;
    for (let j = 0; j < rings.length; j++) {
      const ring = rings[j];
      ring.staged[0] = this.ringColumns[j][k];
      ring.pushStaged(DRIFT);
    }
  }

  /** Every staged record into the windows, feature by feature. */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    // Emptied first: a window that throws does not have the same records pushed again.
    this.n = 0;
    const features = this.features;
    for (let i = 0; i < features.length; i++) features[i].observeStaged(this.times, this.columns[i], n);
  }
}
