/**
 * Mean and population standard deviation (ddof = 0, two-pass for accuracy), shared by the value
 * summaries and Wasserstein's scale. The loops sit in functions of their own: a first call's loop
 * (a whole reference) is compiled on-stack mid-loop, and the code after a loop so compiled, never
 * run, deoptimized at every tick after (docs/performance.md, V8's recompiles).
 */

/** Arithmetic mean; NaN for no values. */
export function meanOf(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** √(Σ (x − mean)² / n) about a mean already known; NaN for no values. */
export function stdAbout(values: Float64Array, mean: number): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) * (values[i] - mean);
  return Math.sqrt(squares / values.length);
}
