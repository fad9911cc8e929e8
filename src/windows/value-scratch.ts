/**
 * The buffer a tick reads a window's raw values into, to sort them there and read them once: the
 * drift tick's KS and Wasserstein, data quality's value summaries. Kept between ticks, not
 * allocated per window: at 1,000 records/s every window changes between two ticks, and a fresh
 * 80 kB copy per numeric window (62 at the live bench's config, 4 ticks a minute) was 20 MB a
 * minute of garbage. One buffer serves every reader: each is done with it before it returns
 * (nothing reads a window's values across an await).
 */

import { KeptScratch } from '../core/kept-scratch.js';

/** Kept up to this many values (1 MiB); a larger window's values get an array of their own. */
const kept = new KeptScratch((n) => new Float64Array(n), 1 << 17);

/** Room for n values: the shared buffer's first n, valid until the next call (a fresh array above 1 MiB). */
export function scratchValues(n: number): Float64Array {
  return kept.room(n);
}
