/**
 * A time window's closed sub-buckets (every one but the newest) as a part the checkpoint may journal
 * (core/journaled.ts): written whole to a journal file of its own now and then, and between those
 * only the sub-buckets new or changed since the last durable write; named without a byte written
 * while none changed.
 *
 * Why: a 1 h window is 30 sub-buckets of 2 minutes, each up to ~334 reservoir values; an hour in, the
 * bench's 31 such windows held ~3.4 MB of closed sub-buckets, rewritten by every 5 s checkpoint though
 * only the newest sub-bucket takes records (docs/performance.md, "The steady state of an hour").
 *
 * What changed is never guessed: every sub-bucket carries a version, taken from the window's one
 * counter whenever anything but the newest sub-bucket's in-line push path changes it (a late record
 * in a closed sub-bucket, a clear when the ring wraps or expires it, a restore), and when it stops
 * being the newest. A committed capture remembers each ring slot's epoch and version; a sub-bucket
 * whose pair differs is written again.
 *
 * Segments: the whole `{ buckets }`, then deltas `{ epochs, buckets }`: the closed epochs held at that
 * capture (an earlier one not listed has left the window) and the sub-buckets new or changed since.
 */
import { JOURNALED, journalSegments, nextJournalEpoch, type Journaled } from '../core/journaled.js';
import type { EncodedTyped } from '../core/typed-codec.js';

/** A sub-bucket as saved (its reservoir's `next` and `weight` absent in states saved before Algorithm L). */
export interface SavedSubBucket {
  epoch: number;
  counts: EncodedTyped;
  missing: number;
  seen: number;
  values: EncodedTyped;
  next?: number;
  weight?: number;
}

/** The closed part as a snapshot holds it: every closed sub-bucket. */
export interface ClosedSubBuckets {
  buckets: SavedSubBucket[];
}

/** What the journal reads of a window's sub-bucket at a capture (the window's own sub-buckets). */
export interface VersionedSubBucket {
  /** −1: empty. */
  readonly epoch: number;
  readonly version: number;
  /** Its saved form, as of `version` (the window keeps it from one capture to the next). */
  readonly saved: SavedSubBucket | undefined;
}

let windows = 0;

export class ClosedSubBucketJournal {
  /** One journal per window, for the process's life: the checkpoint store keys its files by it. */
  private readonly key = `time-window-${++windows}`;
  /** Per ring slot, the epoch (−1: none) and version the committed capture held there. */
  private readonly epochs: Float64Array;
  private readonly versions: Float64Array;
  /** Epoch of the committed capture (0: none). */
  private epoch = 0;

  constructor(slots: number) {
    this.epochs = new Float64Array(slots).fill(-1);
    this.versions = new Float64Array(slots);
  }

  /** The closed sub-buckets of `buckets` (ring order; `newest` is the open one's epoch), journaled. */
  capture(buckets: readonly VersionedSubBucket[], newest: number): ClosedSubBuckets {
    const n = buckets.length;
    const epochs = new Float64Array(n).fill(-1);
    const versions = new Float64Array(n);
    const all: SavedSubBucket[] = [];
    const changed: SavedSubBucket[] = [];
    const held: number[] = [];
    let left = false;
    for (let i = 0; i < n; i++) {
      const b = buckets[i];
      if (b.epoch >= 0 && b.epoch !== newest) {
        if (b.saved === undefined || b.saved.epoch !== b.epoch) throw new Error(`time window sub-bucket ${b.epoch} has no saved form`);
        epochs[i] = b.epoch;
        versions[i] = b.version;
        all.push(b.saved);
        held.push(b.epoch);
        if (this.epochs[i] !== b.epoch || this.versions[i] !== b.version) changed.push(b.saved);
      }
      if (this.epochs[i] >= 0 && this.epochs[i] !== epochs[i]) left = true;
    }
    const part: ClosedSubBuckets = { buckets: all };
    // None closed (a window's first sub-bucket span, or one emptied by an idle spell): inline, no
    // journal. A journal started empty took every delta after it as larger than its whole, and wrote
    // every window's journal whole anew at each of the first sub-bucket closings (37 files each time
    // in the bench's first minutes).
    if (all.length === 0) {
      this.reset();
      return part;
    }
    const base = this.epoch;
    const journal: Journaled = {
      key: this.key,
      full: part,
      delta: base === 0 ? undefined : { epochs: held, buckets: changed },
      baseEpoch: base,
      unchanged: base !== 0 && changed.length === 0 && !left,
      rows: all.length,
      addedRows: changed.length,
      commit: () => {
        this.epochs.set(epochs);
        this.versions.set(versions);
        return (this.epoch = nextJournalEpoch());
      },
      forget: () => this.reset(),
    };
    Object.defineProperty(part, JOURNALED, { value: journal, enumerable: false });
    return part;
  }

  /** Forgets the committed capture (a failed write, a restore): the next write is whole. */
  reset(): void {
    this.epoch = 0;
    this.epochs.fill(-1);
  }
}

/**
 * The closed sub-buckets of a saved window: the part as a snapshot holds it, or its journal's
 * segments folded (the whole, then each delta). Throws on segments this module did not write.
 */
export function closedSubBuckets(saved: unknown): SavedSubBucket[] {
  const segments = journalSegments(saved);
  if (segments === undefined) {
    const buckets = (saved as Partial<ClosedSubBuckets> | undefined)?.buckets;
    if (!Array.isArray(buckets)) throw new Error('saved time window has no closed sub-buckets');
    return buckets;
  }
  let held = new Map<number, SavedSubBucket>();
  segments.forEach((segment, i) => {
    const s = segment as { epochs?: unknown; buckets?: unknown } | null;
    if (s === null || typeof s !== 'object' || !Array.isArray(s.buckets)) throw new Error(`time window journal segment ${i} has no sub-buckets`);
    if ((i === 0) !== (s.epochs === undefined)) throw new Error(`time window journal segment ${i} is ${i === 0 ? 'a delta, not the whole' : 'not a delta'}`);
    const next = new Map<number, SavedSubBucket>();
    for (const b of s.buckets as SavedSubBucket[]) {
      if (next.has(b?.epoch)) throw new Error(`time window journal segment ${i} holds sub-bucket ${b.epoch} twice`);
      next.set(b.epoch, b);
    }
    if (i > 0) {
      if (!Array.isArray(s.epochs)) throw new Error(`time window journal segment ${i} lists no epochs`);
      for (const e of s.epochs as number[]) {
        if (next.has(e)) continue;
        const kept = held.get(e);
        if (kept === undefined) throw new Error(`time window journal segment ${i} keeps sub-bucket ${e}, which no earlier segment holds`);
        next.set(e, kept);
      }
      if (next.size !== s.epochs.length) throw new Error(`time window journal segment ${i} writes a sub-bucket it does not list`);
    }
    held = next;
  });
  return [...held.values()];
}
