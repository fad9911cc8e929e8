/**
 * The one merge walk over two ascending samples that both sample methods read: the gap between the
 * two ECDFs at each distinct merged value x, |U(x) − V(x)| (right-continuous, as scipy's ks_2samp
 * and wasserstein_distance compute them). KS's D is the largest gap (ks.ts); Wasserstein-1's
 * ∫|U − V| sums each gap times the step to the next merged value (wasserstein.ts).
 *
 * Why one walk for both: the walk's branches follow the data and mispredict about once a merged
 * value, which costs more than either method's arithmetic (a drift tick walked 10,000 against
 * 10,000 values twice per numeric window: 36 % of the tick). Each result is computed by the same
 * operations in the same order as a walk of its own, so both are bit for bit what they were.
 */

/** KS's D (capped at 1, as scipy) and the unnormalised Wasserstein-1 distance of two ascending samples. */
export interface SampleWalk {
  ks: number;
  wasserstein: number;
}

/** Walks both ascending samples once (neither may hold NaN: the walk throws rather than spin on one). */
export function walkSorted(u: Float64Array, v: Float64Array): SampleWalk {
  const d = walk(u, v);
  return { ks: Math.min(d, 1), wasserstein: walkedArea };
}

/** walk()'s second result (a module variable: its store after the loop has no type feedback to lack). */
let walkedArea = 0;

/**
 * KS's D (uncapped), Wasserstein's area left in walkedArea. The loop in a function of its own, with
 * nothing after it that reads type feedback: a first call's loop is compiled on-stack, and code after
 * a loop so compiled, never run, deoptimized it at every later call (docs/performance.md, V8's recompiles).
 */
function walk(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let d = 0;
  let distance = 0;
  // The gap left of x: flat since the previous merged value (0 before the first).
  let gap = 0;
  let previous = Math.min(u[0], v[0]);
  while (i < nu || j < nv) {
    const x = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    // NaN sorts last and equals nothing, so the walk would never pass it: fail the tick, don't spin.
    if (x !== x) throw new Error('a sample holds NaN');
    distance += gap * (x - previous);
    while (i < nu && u[i] === x) i++;
    while (j < nv && v[j] === x) j++;
    gap = Math.abs(i / nu - j / nv);
    if (gap > d) d = gap;
    previous = x;
  }
  walkedArea = distance;
  return d;
}
