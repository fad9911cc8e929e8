/**
 * The demo's model: ordinary least squares predicting Miles_per_Gallon from the six car features
 * (Origin one-hot, missing Horsepower imputed with the training mean), fitted on 1970–1974 cars.
 * Pure; the simulated server serves it.
 */
import type { Car } from './cars.js';

export interface MpgModel {
  coefficients: number[];
  horsepowerMean: number;
  predict(car: Pick<Car, 'Cylinders' | 'Displacement' | 'Horsepower' | 'Weight_in_lbs' | 'Acceleration' | 'Origin'>): number;
}

function row(c: Pick<Car, 'Cylinders' | 'Displacement' | 'Horsepower' | 'Weight_in_lbs' | 'Acceleration' | 'Origin'>, hpMean: number): number[] {
  return [1, c.Cylinders, c.Displacement, c.Horsepower ?? hpMean, c.Weight_in_lbs, c.Acceleration, c.Origin === 'Europe' ? 1 : 0, c.Origin === 'Japan' ? 1 : 0];
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and square). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let k = col; k <= n; k++) m[r][k] -= f * m[col][k];
    }
  }
  return m.map((r, i) => r[n] / r[i]);
}

export function fitMpgModel(cars: Car[]): MpgModel {
  const train = cars.filter((c) => c.Miles_per_Gallon !== null);
  const hps = train.map((c) => c.Horsepower).filter((h): h is number => h !== null);
  const horsepowerMean = hps.reduce((s, h) => s + h, 0) / hps.length;
  const x = train.map((c) => row(c, horsepowerMean));
  const y = train.map((c) => c.Miles_per_Gallon as number);
  const p = x[0].length;
  // Normal equations XᵀX β = Xᵀy: eight columns, so this is exact enough and dependency-free.
  const xtx = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => x.reduce((s, r) => s + r[i] * r[j], 0)));
  const xty = Array.from({ length: p }, (_, i) => x.reduce((s, r, k) => s + r[i] * y[k], 0));
  const coefficients = solve(xtx, xty);
  return {
    coefficients,
    horsepowerMean,
    predict: (car) => row(car, horsepowerMean).reduce((s, v, i) => s + v * coefficients[i], 0),
  };
}
