/**
 * Arrival times and latencies for generated traffic, from a seeded PRNG so every scenario is the same
 * on every run.
 */
import { mulberry32 } from '../../../src/stats/random.js';

export type Random = () => number;

export function seeded(seed: number): Random {
  return mulberry32(seed);
}

/** A Poisson process of `perSecond` requests between two times (ms); times in ms, ascending. */
export function* arrivals(startMs: number, endMs: number, perSecond: number, rand: Random): Generator<number> {
  let t = startMs;
  for (;;) {
    t += (-Math.log(1 - rand()) / perSecond) * 1000;
    if (t >= endMs) return;
    yield t;
  }
}

/** A standard normal draw (Box–Muller). */
export function normal(rand: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** A log-normal latency in ms: median `medianMs`, shape `sigma` (p99 = median · e^(2.326 σ)). */
export function lognormalMs(medianMs: number, sigma: number, rand: Random): number {
  return medianMs * Math.exp(sigma * normal(rand));
}

export function pick<T>(rows: readonly T[], rand: Random): T {
  return rows[Math.floor(rand() * rows.length)];
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
