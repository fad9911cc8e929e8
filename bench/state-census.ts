/**
 * What a state checkpoint holds of time windows (for bench/overhead.ts's BENCH_PREFILL_SPAN): the
 * checkpoint's and its journals' bytes, and per time window its non-empty sub-buckets, read back as a
 * restart would (journals folded). A sidecar an hour in with 1 h windows has ~30 in each.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TypedCopy } from '../src/core/typed-codec.js';
import { readBinary } from '../src/sources/checkpoint-binary.js';
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
  const parsed = JSON.parse(text) as { state?: unknown; binary?: unknown };
  // Journals folded and the typed arrays' references resolved to their bytes, as a restart reads them.
  const state = await readBinary(path, parsed.binary, await readJournals(path, parsed.state));
  // The checkpoint is its JSON and, from version 2 of the pipeline state, its binary file of the typed arrays' bytes.
  const binaryBytes = (parsed.binary as { bytes?: number } | undefined)?.bytes ?? 0;
  const census: StateCensus = { checkpointBytes: text.length + binaryBytes, journalBytes, timeWindows: 0, subBuckets: 0, fewest: Infinity, most: 0, values: 0 };
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
      // Bytes of the binary file, or base64 (a checkpoint of ec813f9 or a journal's segment).
      for (const b of buckets) census.values += (b.values instanceof TypedCopy ? b.values.bytes.length : Buffer.from(b.values as string, 'base64').length) / 8;
      return;
    }
    for (const x of Object.values(o)) walk(x);
  };
  walk(state);
  return census;
}
