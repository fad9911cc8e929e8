/**
 * `npm run bench:tick-sorts`: what a drift or data quality tick pays to read a 1 h time window's
 * values sorted, an hour in (30 sub-buckets of 2 minutes, each holding its 334-value reservoir),
 * at BENCH_RATE records/s (default 1,000) and a tick every 15 s: the window's values copied out and
 * radix-sorted whole (`values()` + sortFloat64, as before), against `sortedValues()`, which keeps
 * the closed sub-buckets merged between ticks (src/windows/sorted-closed-values.ts). The two run
 * alternately on two windows fed the same records, BENCH_TICKS ticks (default 320: 40 sub-bucket
 * closings) a round, BENCH_ROUNDS rounds (default 5); prints the median µs a tick and window, and
 * what that is a minute at the live bench's config (36 numeric 1 h windows: drift's and data
 * quality's, the prediction's; 4 ticks a minute). Every tick checks the two arrays are equal.
 */
import { fmt, median, table } from './measure.js';
import { mulberry32 } from '../src/stats/random.js';
import { sortFloat64 } from '../src/stats/sort.js';
import { TimeWindow } from '../src/windows/time-window.js';

const rate = Number(process.env.BENCH_RATE ?? 1000);
const ticks = Number(process.env.BENCH_TICKS ?? 320);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const TICK_SECONDS = 15;
const WINDOWS = 36;

const random = mulberry32(7);
const whole = new TimeWindow(3600, 10, 10_000, 30);
const merged = new TimeWindow(3600, 10, 10_000, 30);
let t = 1_700_000_000;
const push = (seconds: number, perSecond: number) => {
  const step = 1 / perSecond;
  for (let end = t + seconds; t < end; t += step) {
    const v = Math.round((random() * 100 + 20 * Math.sin(t / 600)) * 1000) / 1000;
    whole.push(t, v, 1);
    merged.push(t, v, 1);
  }
};
// An hour of records first, at 5 a second (600 a sub-bucket, more than a reservoir keeps): every sub-bucket full.
push(3600, 5);
const room = new Float64Array(20_000);
const lend = (n: number) => room.subarray(0, n);
const mine = new Float64Array(20_000);
const lendMine = (n: number) => mine.subarray(0, n);
merged.sortedValues(lend);

const perTick = { whole: [] as number[], merged: [] as number[] };
for (let r = 0; r < rounds; r++) {
  let wholeUs = 0;
  let mergedUs = 0;
  for (let k = 0; k < ticks; k++) {
    push(TICK_SECONDS, rate);
    whole.advance(t);
    merged.advance(t);
    // Alternate which goes first, so neither always finds the caches the other left.
    const first = k % 2 === 0;
    let a = 0;
    let b = 0;
    for (const which of first ? ['whole', 'merged'] : ['merged', 'whole']) {
      const t0 = performance.now();
      if (which === 'whole') sortFloat64(whole.values(lendMine));
      else merged.sortedValues(lend);
      const us = (performance.now() - t0) * 1000;
      if (which === 'whole') a = us;
      else b = us;
    }
    wholeUs += a;
    mergedUs += b;
    const n = merged.values().length;
    if (whole.values().length !== n) throw new Error(`tick ${k}: the windows hold ${whole.values().length} and ${n} values`);
    for (let i = 0; i < n; i++) if (!Object.is(room[i], mine[i])) throw new Error(`tick ${k}: the sorted values differ at ${i}`);
  }
  perTick.whole.push(wholeUs / ticks);
  perTick.merged.push(mergedUs / ticks);
}

const minute = (us: number) => (us * WINDOWS * (60 / TICK_SECONDS)) / 1000;
const w = median(perTick.whole);
const m = median(perTick.merged);
console.log(`\nA 1 h time window an hour in (30 sub-buckets, ${fmt.int(merged.values().length)} values), ${fmt.int(rate)} records/s, a tick every ${TICK_SECONDS} s; ${rounds} rounds of ${ticks} ticks, Node ${process.version}\n`);
console.log(
  table(
    ['sorted values', 'µs a tick and window (median of rounds)', 'rounds', `ms a minute, ${WINDOWS} windows`],
    [
      ['values() + radix sort (before)', fmt.fixed(w, 1), perTick.whole.map((x) => fmt.fixed(x, 0)).join(' / '), fmt.fixed(minute(w), 1)],
      ['sortedValues(): closed sub-buckets kept merged', fmt.fixed(m, 1), perTick.merged.map((x) => fmt.fixed(x, 0)).join(' / '), fmt.fixed(minute(m), 1)],
      ['ratio', fmt.fixed(m / w, 2) + '×', '', ''],
    ],
  ),
);
