/**
 * A part of a snapshot that the checkpoint may write as a journal: the whole part now and then, and
 * between those only what changed since the previous durable write, appended to a file of its own.
 *
 * Why: the label join store is a third of the state checkpoint (4.1 of 11.7 MB at 1,000 records/s
 * with 69,000 waiting predictions) and ~93 % of it is unchanged 5 s later (predictions wait about a
 * minute for their labels). Written whole every 5 s it was ~0.5 points of a core.
 *
 * A part that never changes once built (the drift warm-up reference profile, core/cached-json.ts)
 * says so (`unchanged`): it is written to its journal once per process and named as it stands by
 * every later checkpoint, without a byte written (1.1 MB of the 7.4 MB written every 5 s at 1,000
 * records/s, docs/performance.md "Checkpoint parts written once").
 *
 * The part is a plain JSON-safe object (what the checkpoint always held there, so a snapshot restored
 * in the same process needs no journal); the journal's side of it hangs off a symbol, which neither
 * JSON.stringify nor the checkpoint's writer see.
 */
export const JOURNALED = Symbol('journaled');

/** What the checkpoint store needs to journal a part (found under JOURNALED on the part). */
export interface Journaled {
  /** Names the part's journal file (one file per part and generation). */
  readonly key: string;
  /**
   * The whole part as a journal's first segment (JSON). Undefined when the part captured only its
   * delta, which it may do after a commit that said the store takes a delta next (a capture of the
   * whole label join store every 5 s, to write only its newest rows, was ~4 % of the main thread).
   */
  readonly full: unknown;
  /**
   * The changes since the capture committed as `baseEpoch` (JSON), or undefined when there is no
   * such base (none committed yet, or the part cannot tell what changed).
   */
  readonly delta: unknown;
  /** The epoch of the committed capture the delta is relative to (0: none). */
  readonly baseEpoch: number;
  /**
   * The part equals the capture committed as `baseEpoch`: its journal is named as it stands, nothing
   * written (a part that never changes once built).
   */
  readonly unchanged?: boolean;
  /** Rows in the part (whole) and rows the delta adds (the store's choice between them). */
  readonly rows: number;
  readonly addedRows: number;
  /**
   * Called once this capture is durable (its journal segment and the checkpoint naming it are on
   * disk): later deltas are relative to it. `deltaNext`: the store will take a delta relative to it
   * at the next write (its journal is not due to start whole). Returns its epoch.
   */
  commit(deltaNext: boolean): number;
  /** The store forgot the part's journal (a failed write): the next write must be whole. */
  forget?(): void;
}

let epochs = 0;

/** A new epoch for a part's committed capture, unique in the process (a part under another's key never matches its epoch). */
export function nextJournalEpoch(): number {
  return ++epochs;
}

/**
 * A saved part as a checkpoint store reads it back: `{ $journal: [whole, delta, …] }`, the journal's
 * segments (sources/checkpoint-journal.ts readJournals); undefined for a part saved inline.
 */
export function journalSegments(saved: unknown): unknown[] | undefined {
  if (saved === null || typeof saved !== 'object' || !('$journal' in saved)) return undefined;
  const segments = (saved as { $journal: unknown }).$journal;
  if (!Array.isArray(segments) || segments.length === 0) throw new Error('saved journal has no segments');
  return segments;
}

/** The part under JOURNALED, if `value` is a journaled part. */
export function journaledOf(value: unknown): Journaled | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as { [JOURNALED]?: Journaled })[JOURNALED];
}
