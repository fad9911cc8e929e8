/**
 * How far V8 lets the old generation grow past what survived the last full collection. V8 picks
 * the factor itself, from how fast it collects compared with how fast the program allocates, and
 * goes up to 4×: for a sidecar whose live heap is a few fixed-size windows, that is room for
 * garbage, not for data. A fixed 10 % keeps the peak near the live size: 1M lines with every
 * analyzer, peak RSS 99.7 → 93.6 MiB at the same CPU (11.94 → 11.80 s, 3 interleaved runs each;
 * docs/performance.md, "The floor"). Set here, at start-up, because NODE_OPTIONS does not accept
 * this V8 flag; V8 reads it each time it sets the next collection's limit.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 10;

/** MODELWATCH_HEAP_GROWING_PERCENT overrides the 10 % (0: V8's own factor), to measure or to trade memory for CPU. */
export function limitHeapGrowth(env: NodeJS.ProcessEnv = process.env): void {
  const percent = env.MODELWATCH_HEAP_GROWING_PERCENT === undefined ? HEAP_GROWING_PERCENT : Number(env.MODELWATCH_HEAP_GROWING_PERCENT);
  if (Number.isInteger(percent) && percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
