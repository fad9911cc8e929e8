/**
 * What a state checkpoint holds of time windows (for bench/overhead.ts's BENCH_PREFILL_SPAN): the
 * checkpoint's and its journals' bytes, and per time window its non-empty sub-buckets, read back as a
 * restart would (journals folded). A sidecar an hour in with 1 h windows has ~30 in each.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readJournals } from '../src/sources/checkpoint-journal.js';
import { savedSubBuckets } from '../src/windows/time-window-state.js';

export interface StateCensus {
  checkpointBytes: number;
  journalBytes: number;
  /** Time windows, their non-empty sub-buckets in all and the fewest and most in one, and reservoir values kept. */
  timeWindows: number;
  subBuckets: number;
  fewest: number;
  most: number;
  values: number;
}

export async function stateCensus(path: string): Promise<StateCensus | undefined> {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  let journalBytes = 0;
  for (const m of text.matchAll(/"\$journal":"([^"]+)"/g)) journalBytes += statSync(join(dirname(path), m[1])).size;
  const state = await readJournals(path, (JSON.parse(text) as { state?: unknown }).state);
  const census: StateCensus = { checkpointBytes: text.length, journalBytes, timeWindows: 0, subBuckets: 0, fewest: Infinity, most: 0, values: 0 };
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const o = v as Record<string, unknown>;
    // Value time windows (time-window.ts); the issue counters' (counter-window.ts, `type: 'time'`) keep counts alone.
    if (typeof o.span === 'number' && o.type === undefined && 'newestEpoch' in o && (Array.isArray(o.buckets) || Array.isArray(o.open))) {
      const buckets = savedSubBuckets(o);
      census.timeWindows++;
      census.subBuckets += buckets.length;
      census.fewest = Math.min(census.fewest, buckets.length);
      census.most = Math.max(census.most, buckets.length);
      for (const b of buckets) census.values += Buffer.from(b.values as string, 'base64').length / 8;
      return;
    }
    for (const x of Object.values(o)) walk(x);
  };
  walk(state);
  return census;
}
