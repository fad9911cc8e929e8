/**
 * The order of a FifoRows store's entries, kept while a checkpoint journal's memo tracks the store
 * (windows/journal-memo.ts): each live entry's sequence number (the store's adds, counted from when
 * tracking began), and the sequence numbers of the entries removed since the memo's last commit, in
 * the order they went.
 *
 * Why: with these the memo names what changed since the last durable write from the changes alone.
 * Before, each capture walked the whole store (100,000 rows at the default, each a random read of
 * the id table's row arrays) four times to find them: ~13 ms a checkpoint, the label join's largest
 * cost at 1,000 records/s (docs/performance.md, "The label join's changes by sequence number").
 *
 * 8 bytes per row of the id table, and 8 per entry removed between two commits (at most `maxRemoved`:
 * past that, more entries went than a whole write holds, and the memo starts again whole).
 */
export class EntryOrder {
  /** Sequence number of each row's live entry (meaningless for a row the store does not hold). */
  private seqs: Float64Array;
  /** The next add's sequence number. */
  nextSeq = 0;
  private log = new Float64Array(64);
  /** Entries removed since the last commit, logged in `removedSeqs()`. */
  removedCount = 0;
  /** More than `maxRemoved` went since the last commit: the log no longer holds them all. */
  overflowed = false;

  constructor(
    rows: number,
    private readonly maxRemoved: number,
  ) {
    this.seqs = new Float64Array(rows);
  }

  /** A row took a new entry, the store's newest. */
  added(row: number): void {
    if (row >= this.seqs.length) {
      const seqs = new Float64Array(Math.max(row + 1, this.seqs.length * 2));
      seqs.set(this.seqs);
      this.seqs = seqs;
    }
    this.seqs[row] = this.nextSeq++;
  }

  /** A live row's entry went (deleted, expired or evicted). */
  removed(row: number): void {
    if (this.overflowed) return;
    if (this.removedCount === this.maxRemoved) {
      this.overflowed = true;
      return;
    }
    if (this.removedCount === this.log.length) {
      const log = new Float64Array(Math.min(this.maxRemoved, this.log.length * 2));
      log.set(this.log);
      this.log = log;
    }
    this.log[this.removedCount++] = this.seqs[row];
  }

  /** The sequence number of a live row's entry. */
  seqOf(row: number): number {
    return this.seqs[row];
  }

  /** The removed entries' sequence numbers, in the order they went (a view: valid until the next removal). */
  removedSeqs(): Float64Array {
    return this.log.subarray(0, this.removedCount);
  }

  /** Forgets the first `n` removals (those a commit's capture already accounted for). */
  dropRemoved(n: number): void {
    this.log.copyWithin(0, n, this.removedCount);
    this.removedCount -= n;
  }
}
