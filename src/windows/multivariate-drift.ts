/**
 * One model version's multivariate drift: each record's reconstruction error (stats/multivariate)
 * is computed as it arrives and pushed into one rolling window per configured window, so the tick
 * only averages. Count windows hold every error; time windows a uniform sample of at most
 * drift.max_window_values of them (the same windows the features use), so the score of a busy
 * time window is the mean of that sample.
 */
import { ColumnPositions, type FeatureColumns } from '../core/feature-columns.js';
import { reconstructionAutoThreshold, reconstructionBand } from '../stats/multivariate/pca-reconstruction.js';
import type { ReconstructionModel } from '../stats/multivariate/reconstruction-model.js';
import { ReconstructionScorer } from '../stats/multivariate/reconstruction-scorer.js';
import type { EncodedValue } from '../stats/multivariate/record-encoder.js';
import { CountWindow } from './count-window.js';
import type { WindowSpec } from './feature-drift.js';
import { TimeWindow } from './time-window.js';
import type { RollingWindow } from './window.js';

export interface MultivariateSettings {
  threshold: 'std' | 'auto';
  stdMultiplier: number;
  falseAlarmRate: number;
  minSamples: number;
  maxWindowValues: number;
}

export interface MultivariateResult {
  samples: number;
  /** Present once the window holds min_samples records. */
  score?: number;
  upper?: number;
  /** `std` thresholds only (a drop of the error is drift too, as in NannyML). */
  lower?: number;
  drifted?: boolean;
}

export class MultivariateDrift {
  private readonly scorer: ReconstructionScorer;
  private readonly windows: RollingWindow[];
  private readonly positions: ColumnPositions;
  results: MultivariateResult[];

  constructor(
    readonly model: ReconstructionModel,
    readonly specs: readonly WindowSpec[],
    private readonly settings: MultivariateSettings,
  ) {
    this.scorer = new ReconstructionScorer(model);
    this.positions = new ColumnPositions(model.encoder.features.map((f) => f.name));
    this.windows = specs.map((s) => (s.count !== undefined ? new CountWindow(s.count, 1) : new TimeWindow(s.seconds ?? 300, 1, settings.maxWindowValues)));
    this.results = specs.map(() => ({ samples: 0 }));
  }

  observe(t: number, features: Readonly<Record<string, EncodedValue>>): void {
    const error = this.scorer.errorOfRow(features);
    for (const w of this.windows) w.push(t, error, 0);
  }

  /** The same as observe() for a lent record's columns. */
  observeColumns(t: number, columns: FeatureColumns): void {
    const error = this.scorer.errorOfColumns(columns, this.positions.of(columns.keys));
    for (const w of this.windows) w.push(t, error, 0);
  }

  compute(now: number): void {
    this.results = this.windows.map((w) => {
      w.advance(now);
      const samples = w.size();
      if (samples < this.settings.minSamples) return { samples };
      const errors = w.values();
      let sum = 0;
      for (let i = 0; i < errors.length; i++) sum += errors[i];
      const score = sum / errors.length;
      // The band is for the mean actually taken: of the sample a busy time window keeps.
      const n = errors.length;
      if (this.settings.threshold === 'auto') {
        const upper = reconstructionAutoThreshold(this.model, n, this.settings.falseAlarmRate);
        return { samples, score, upper, drifted: score > upper };
      }
      const { lower, upper } = reconstructionBand(this.model, n, this.settings.stdMultiplier);
      return { samples, score, upper, lower, drifted: score > upper || score < lower };
    });
  }

  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.specs.forEach((spec, i) => (out[spec.label] = this.windows[i].snapshot()));
    return out;
  }

  restore(state: unknown): void {
    const saved = state as Record<string, unknown> | undefined;
    this.specs.forEach((spec, i) => {
      if (saved?.[spec.label] !== undefined) this.windows[i].restore(saved[spec.label]);
    });
  }
}
