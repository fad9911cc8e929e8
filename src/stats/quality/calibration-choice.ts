/**
 * Should CBPE calibrate? NannyML's rule: calibrate only when a cross-validated check on the
 * reference says it helps. Here: 5 stratified folds (seeded); on each, an isotonic calibration is
 * fitted on the other four folds and the expected calibration error (ECE) of the held-out records
 * is measured with the raw and with the calibrated scores; calibration is chosen when its mean
 * held-out ECE is lower. Scores that are already calibrated keep them (an isotonic fit on a few
 * hundred labels adds noise of its own); scores that are not get the calibration.
 *
 * ECE as Guo et al. define it ("On Calibration of Modern Neural Networks", ICML 2017; Naeini,
 * Cooper & Hauskrecht, AAAI 2015): over the model's decisions ŷ (raw score ≥ threshold, or given),
 * the confidence of a record is its probability of ŷ (p or 1 − p), and
 *   ECE = Σ_b (n_b / n)·|accuracy in b − mean confidence in b|
 * over 10 equal-width bins of confidence. That is the calibration CBPE relies on: its expected
 * accuracy is the mean confidence. (Binning the positive-class probability instead was measured to
 * keep a naive Bayes model's raw scores, whose CBPE accuracy error is 4× the calibrated one's.)
 * NannyML's check (nannyml/calibration.py) uses 3 stratified shuffle splits.
 */
import { applyIsotonic, fitIsotonic, type IsotonicCalibration } from './isotonic.js';
import { mulberry32 } from '../random.js';

export const ECE_BINS = 10;
export const CALIBRATION_FOLDS = 5;

/**
 * Top-label expected calibration error: p = probabilities of the positive class, labels and
 * decisions 0/1. Undefined for no rows.
 */
export function expectedCalibrationError(p: ArrayLike<number>, labels: ArrayLike<number>, decisions: ArrayLike<number>, bins = ECE_BINS): number | undefined {
  const n = p.length;
  if (n === 0) return undefined;
  const count = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  const correct = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const positive = decisions[i] === 1;
    const c = positive ? p[i] : 1 - p[i];
    const b = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    count[b]++;
    confidence[b] += c;
    if ((labels[i] === 1) === positive) correct[b]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += Math.abs(correct[b] - confidence[b]) / n;
  return ece;
}

export interface CalibrationChoice {
  /** The calibration to use, fitted on all the reference rows; undefined when raw scores are kept. */
  calibration: IsotonicCalibration | undefined;
  calibrated: boolean;
  /** Mean held-out ECE of the raw and of the calibrated scores. */
  rawEce: number;
  calibratedEce: number;
}

export interface ChoiceOptions {
  /** The model's decision per record (1: positive); default raw score ≥ threshold. */
  decisions?: ArrayLike<number>;
  threshold?: number;
  folds?: number;
  seed?: number;
}

/** Undefined without two of each class among the labels (nothing to calibrate against). */
export function chooseCalibration(scores: ArrayLike<number>, labels: ArrayLike<number>, options: ChoiceOptions = {}): CalibrationChoice | undefined {
  const n = scores.length;
  const folds = options.folds ?? CALIBRATION_FOLDS;
  const threshold = options.threshold ?? 0.5;
  const decisions = options.decisions ?? Float64Array.from({ length: n }, (_, i) => (scores[i] >= threshold ? 1 : 0));
  const seed = options.seed ?? 1;
  const fold = stratifiedFolds(labels, folds, seed);
  if (!fold) return undefined;
  let rawSum = 0;
  let calibratedSum = 0;
  let used = 0;
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const calibration = fitIsotonic(Float64Array.from(train, (i) => scores[i]), Float64Array.from(train, (i) => labels[i]));
    if (!calibration || test.length === 0) continue;
    const y = Float64Array.from(test, (i) => labels[i]);
    const d = Float64Array.from(test, (i) => decisions[i]);
    const raw = Float64Array.from(test, (i) => Math.min(1, Math.max(0, scores[i])));
    const calibrated = Float64Array.from(test, (i) => applyIsotonic(calibration, scores[i]));
    rawSum += expectedCalibrationError(raw, y, d)!;
    calibratedSum += expectedCalibrationError(calibrated, y, d)!;
    used++;
  }
  if (used === 0) return undefined;
  const rawEce = rawSum / used;
  const calibratedEce = calibratedSum / used;
  const calibrated = calibratedEce < rawEce;
  return { calibration: calibrated ? fitIsotonic(scores, labels) : undefined, calibrated, rawEce, calibratedEce };
}

/** Fold of each row: each class's rows shuffled (seeded) and dealt round-robin. Undefined without both classes. */
function stratifiedFolds(labels: ArrayLike<number>, folds: number, seed: number): Int32Array | undefined {
  const n = labels.length;
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < n; i++) (labels[i] === 1 ? positives : negatives).push(i);
  if (positives.length < 2 || negatives.length < 2) return undefined;
  const rand = mulberry32(seed);
  const fold = new Int32Array(n);
  let next = 0;
  for (const group of [positives, negatives]) {
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [group[i], group[j]] = [group[j], group[i]];
    }
    for (const i of group) fold[i] = next++ % folds;
  }
  return fold;
}
