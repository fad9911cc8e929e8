/**
 * How far V8 lets the old generation grow past what survived the last full collection. V8 picks
 * the factor itself, from how fast it collects compared with how fast the program allocates, and
 * goes up to 4×: for a sidecar whose live heap is a few fixed-size windows, that is room for
 * garbage, not for data. A fixed percentage keeps the peak near the live size. Set here, at
 * start-up, because NODE_OPTIONS does not accept this V8 flag; V8 reads it each time it sets the
 * next collection's limit.
 *
 * One-shot, 10 %: 1M lines with every analyzer, peak RSS 99.7 → 93.6 MiB at the same CPU (11.94 →
 * 11.80 s, 3 interleaved runs each; docs/performance.md, "The floor").
 *
 * Live, 30 %: what outlives the young generation there is mostly each checkpoint's capture, kept
 * until the next one 15 s later (the counters' saved samples, the metric families /metrics serves:
 * ~3.8 MB a minute at 1,000 records/s an hour in). Within 10 % of what survived the last full
 * collection the old generation was marked much of the time, and the main thread paid for the
 * marking steps and the write barriers:
 * an hour in, 30 % measured 0.90 / 1.05 / 1.00 % of a core (median 1.00) against 1.21 / 1.17 /
 * 1.10 % (1.17) at 10 %, interleaved, the main thread 0.49–0.56 s a minute against 0.58–0.64, and
 * peak RSS 123 against 126 MiB (docs/performance.md, 3 December third round): within the live
 * heap_headroom the memory budget counts (30 MiB). Since the fourth round the captures promote
 * half as much (2.0 → 1.0 MB a minute over minutes 1–5: metrics/saved-counters.ts, keptSamples).
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = { oneShot: 10, live: 30 };

/**
 * The percentage to set: MODELWATCH_HEAP_GROWING_PERCENT when given (0: V8's own factor, to measure
 * or to trade memory for CPU), else the one-shot or live default. Undefined: leave V8's.
 */
export function heapGrowingPercent(live: boolean, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const given = env.MODELWATCH_HEAP_GROWING_PERCENT;
  const percent = given === undefined ? (live ? HEAP_GROWING_PERCENT.live : HEAP_GROWING_PERCENT.oneShot) : Number(given);
  return Number.isInteger(percent) && percent > 0 ? percent : undefined;
}

export function limitHeapGrowth(live: boolean, env: NodeJS.ProcessEnv = process.env): void {
  const percent = heapGrowingPercent(live, env);
  if (percent !== undefined) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
