/**
 * `threshold: auto` for one feature: thresholds calibrated to a false-alarm rate α at the size of
 * the window being scored (threshold-calibration.ts), computed per window-size bucket and cached.
 *
 * Buckets are quarter octaves of the window size (bucket k holds sizes n with round(4·log2 n) = k,
 * a ±9 % band). The first window of a bucket calibrates at the bucket's centre n_k = 2^(k/4); every
 * window in that bucket then reads the cached threshold, moved to its exact size by the method's
 * noise law τ(n) = τ(n_k)·(s(n)/s(n_k))^γ, s(n) = 1/n_ref + 1/n. So a calibration runs only when
 * the window size changes by more than a bucket, and never twice for the same bucket.
 */
import { calibrateThresholds, type CalibrationDraw, type CalibrationPopulation } from './threshold-calibration.js';

export const BUCKETS_PER_OCTAVE = 4;

export function sizeBucket(n: number): number {
  return Math.round(BUCKETS_PER_OCTAVE * Math.log2(Math.max(1, n)));
}

export function bucketCentre(bucket: number): number {
  return Math.max(1, Math.round(2 ** (bucket / BUCKETS_PER_OCTAVE)));
}

export interface AutoThresholdOptions {
  /** The false-alarm rate α. */
  alpha: number;
  /** Noise exponent γ of each calibrated method, in the order evaluate() returns them. */
  exponents: readonly number[];
  draws?: number;
  maxRows?: number;
  seed?: number;
}

export class AutoThresholds {
  private readonly cache = new Map<number, Float64Array>();
  private population: CalibrationPopulation | undefined;
  /** Calibrations run so far (for tests and self-metrics). */
  calibrations = 0;

  constructor(
    private readonly populationOf: () => CalibrationPopulation | undefined,
    private readonly evaluate: (draw: CalibrationDraw) => Float64Array,
    private readonly options: AutoThresholdOptions,
  ) {}

  /**
   * Thresholds of the calibrated methods for a window of n values; NaN where none can be set.
   * `mayCalibrate` (the tick's time budget) says whether a new bucket may be calibrated now; when it
   * may not, the nearest calibrated bucket is moved to n by the noise law, and without one the
   * thresholds are NaN (the caller keeps the default) until a later tick calibrates.
   */
  at(n: number, mayCalibrate: () => boolean = () => true): Float64Array {
    const bucket = sizeBucket(n);
    let cached = this.cache.get(bucket);
    let centre = bucketCentre(bucket);
    if (cached === undefined) {
      if (mayCalibrate()) {
        cached = this.calibrate(centre);
        this.cache.set(bucket, cached);
      } else {
        const nearest = this.nearestBucket(bucket);
        if (nearest === undefined) return Float64Array.from(this.options.exponents, () => NaN);
        cached = this.cache.get(nearest)!;
        centre = bucketCentre(nearest);
      }
    }
    const population = this.population;
    if (population === undefined || centre === n) return cached;
    const ratio = (1 / population.referenceSize + 1 / n) / (1 / population.referenceSize + 1 / centre);
    return cached.map((t, j) => t * ratio ** this.options.exponents[j]);
  }

  private nearestBucket(bucket: number): number | undefined {
    let best: number | undefined;
    for (const k of this.cache.keys()) if (best === undefined || Math.abs(k - bucket) < Math.abs(best - bucket)) best = k;
    return best;
  }

  private calibrate(n: number): Float64Array {
    this.population ??= this.populationOf();
    const { alpha, exponents, draws, maxRows } = this.options;
    const result = this.population && calibrateThresholds(this.population, n, this.evaluate, { alphas: [alpha], exponents, draws, maxRows, seed: (this.options.seed ?? 1) + n });
    this.calibrations++;
    return Float64Array.from(exponents, (_, j) => result?.thresholds[j][0] ?? NaN);
  }
}
