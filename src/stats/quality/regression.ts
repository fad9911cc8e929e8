/**
 * Regression error metrics, as sklearn.metrics:
 *   MAE  = mean |y − ŷ|                                  (mean_absolute_error)
 *   RMSE = √(mean (y − ŷ)²)                              (√mean_squared_error)
 *   MAPE = mean |y − ŷ| / max(|y|, ε), ε = 2⁻⁵²         (mean_absolute_percentage_error)
 *          a fraction, not a percentage; ε makes y = 0 give a huge but finite term, as sklearn.
 *   R²   = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²                    (r2_score, force_finite=True)
 *          constant y_true: 1 when the predictions are perfect, else 0 (sklearn's finite stand-ins
 *          for 1 − 0/0 and −∞).
 * Empty input → undefined; R² also needs two samples (sklearn returns NaN below that).
 */
import { checkedLength } from './classification.js';
import { FLOAT64_EPS } from './log-loss.js';

export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number | undefined {
  const n = checkedLength(yTrue, yPred);
  if (n === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(yTrue[i] - yPred[i]);
  return sum / n;
}

export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number | undefined {
  const n = checkedLength(yTrue, yPred);
  if (n === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = yTrue[i] - yPred[i];
    sum += d * d;
  }
  return Math.sqrt(sum / n);
}

export function meanAbsolutePercentageError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number | undefined {
  const n = checkedLength(yTrue, yPred);
  if (n === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(yTrue[i] - yPred[i]) / Math.max(Math.abs(yTrue[i]), FLOAT64_EPS);
  return sum / n;
}

export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number | undefined {
  const n = checkedLength(yTrue, yPred);
  if (n < 2) return undefined;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = yTrue[i] - yPred[i];
    const t = yTrue[i] - mean;
    residual += r * r;
    total += t * t;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
