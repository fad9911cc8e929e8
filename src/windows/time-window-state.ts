/**
 * A time window's sub-buckets as saved: the form a snapshot writes (time-window.ts), and the forms
 * read back, those of earlier versions included: every sub-bucket under `buckets` (before the closed
 * ones were journaled, ec813f9 and earlier), or the newest under `open` and the closed ones under
 * `closed` (inline, or as their journal's segments: closed-sub-buckets.ts).
 */
import type { Mulberry32 } from '../stats/random.js';
import { reschedule, type Reservoir } from '../stats/reservoir.js';
import { decodeFloat64, encodeOwned, type TypedCopy } from '../core/typed-codec.js';
import { closedSubBuckets, type SavedSubBucket } from './closed-sub-buckets.js';

/** A sub-bucket's contents: a reservoir of values and a count per bin. */
export interface SubBucketContents extends Reservoir {
  epoch: number;
  counts: Float64Array;
  missing: number;
}

/** The saved form of `b`, its arrays copied by `copy`. */
export function savedSubBucket(b: SubBucketContents, copy: (a: Float64Array) => TypedCopy): SavedSubBucket {
  return { epoch: b.epoch, counts: copy(b.counts), missing: b.missing, seen: b.seen, values: copy(b.values.subarray(0, b.kept)), next: b.next, weight: b.weight };
}

/** A copy of `a` in memory of its own (not the capture arena's): kept across captures. */
export function keptCopy(a: Float64Array): TypedCopy {
  return encodeOwned(a.slice());
}

/** Every sub-bucket of a saved window, in any of its forms; throws when there are none or one is there twice. */
export function savedSubBuckets(state: unknown): SavedSubBucket[] {
  const s = state as { buckets?: unknown; open?: unknown; closed?: unknown };
  let buckets: SavedSubBucket[];
  if (Array.isArray(s.buckets)) buckets = s.buckets as SavedSubBucket[];
  else if (Array.isArray(s.open)) buckets = [...(s.open as SavedSubBucket[]), ...closedSubBuckets(s.closed)];
  else throw new Error('saved time window has no sub-buckets');
  const epochs = new Set<number>();
  for (const b of buckets) {
    if (!Number.isInteger(b?.epoch) || b.epoch < 0) throw new Error('saved time window sub-bucket has no epoch');
    if (epochs.has(b.epoch)) throw new Error(`saved time window holds sub-bucket ${b.epoch} twice`);
    epochs.add(b.epoch);
  }
  return buckets;
}

/** Puts a saved sub-bucket's contents into `b` (of that epoch, empty). */
export function restoreSubBucket(b: SubBucketContents, saved: SavedSubBucket, nBins: number, random: Mulberry32): void {
  b.counts.set(decodeFloat64(saved.counts, nBins));
  const values = decodeFloat64(saved.values);
  if (values.length > b.values.length) throw new Error('saved state does not fit: more values than the window keeps');
  b.values.set(values);
  b.kept = values.length;
  b.missing = saved.missing;
  b.seen = saved.seen;
  // A saved schedule still ahead of the count, else (a state from before, or a full reservoir
  // saved without one) one drawn from its law given the count.
  const { next, weight } = saved;
  if (b.kept === b.values.length && typeof next === 'number' && next > b.seen && typeof weight === 'number' && weight > 0 && weight <= 1) {
    b.next = next;
    b.weight = weight;
  } else reschedule(b, random);
}
