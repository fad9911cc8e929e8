/**
 * The raw values of one numeric feature for two windows of its last N records: drift's count
 * window (view 0) and data quality's value window of the same length (view 1). Both see nearly
 * the same records with the same values, so the values are kept once: a log of entries, each a
 * value and which views hold it. A push by one view takes the newest entry when the other view
 * wrote it with the same value and this view does not hold it yet (drift pushes first, data quality
 * takes its entry); else it appends an entry of its own. A view's window is its newest N entries,
 * in log order, which is its push order whatever the other does.
 *
 * So the two may see different records and values (drift skips failed requests and reads numeric
 * strings as numbers; data quality counts a failed request's inputs and reads a numeric string as
 * missing; drift's windows begin after the warm-up) and each still sees exactly its own last N;
 * what they do not share costs an entry each. An entry is dropped once neither window holds it; the
 * log grows (doubling) only while more than N + N/16 entries are held, and never past the two
 * windows' own (2N, plus the slack).
 *
 * Values are stored as both windows read them: the number, NaN for a missing one.
 *
 * Opt-in (AnalyzerSet's shareValueWindows): each window's own ring is the default, a store a push
 * where this log's bookkeeping cost ~16–22 ns a push on each side, for 64 kB more a numeric feature
 * at 10,000 (docs/performance.md, "Own value rings").
 */

const VIEWS = 2;
/** The views: drift's count window pushes first, data quality's value window second. */
export const DRIFT = 0;
export const QUALITY = 1;

export class SharedValueRing {
  private values: Float64Array;
  /** Bit v set: view v holds the entry. */
  private members: Uint8Array;
  /** Entries the log can hold. */
  private slots: number;
  /** The slot of the next entry (a slot never written holds no view: members 0). */
  private head = 0;
  /** Per view: entries it holds (≤ capacity) and the slot of its oldest. */
  private readonly held = new Int32Array(VIEWS);
  private readonly oldest = new Int32Array(VIEWS);
  /** Entries appended, and pushes that took the other view's entry (tests). */
  appended = 0;
  taken = 0;
  /**
   * The value of the push in progress, written by the window before pushStaged(): a double passed
   * as an argument to a call V8 does not inline (this one often is not: the feature loop's
   * inlining budget is spent first) becomes a 16-byte heap number, 15 a record in the bench.
   */
  readonly staged = new Float64Array(1);

  constructor(readonly capacity: number) {
    this.slots = ringSlots(capacity);
    this.values = new Float64Array(this.slots);
    this.members = new Uint8Array(this.slots);
  }

  /** Bytes held now (the log may have grown). */
  get bytes(): number {
    return this.values.byteLength + this.members.byteLength;
  }

  /** `v`: the view's value of the record being pushed, NaN for a missing one. */
  push(view: number, v: number): void {
    this.staged[0] = v;
    this.pushStaged(view);
  }

  /** push(view, staged[0]), with no double passed. */
  pushStaged(view: number): void {
    // Its helpers read the value from `staged` too: none is passed a double.
    const v = this.staged[0];
    const bit = 1 << view;
    const members = this.members;
    const full = this.held[view] === this.capacity;
    if (full) {
      // The view's oldest entry leaves its window (first, so the slot may be reused now).
      let s = this.oldest[view];
      members[s] &= ~bit;
      do if (++s === this.slots) s = 0;
      while ((members[s] & bit) === 0 && s !== this.head);
      this.oldest[view] = s;
    }
    const latest = (this.head === 0 ? this.slots : this.head) - 1;
    let slot: number;
    const last = this.values[latest];
    // sameValue(last, v), written out (a call not inlined would box both).
    if (members[latest] !== 0 && (members[latest] & bit) === 0 && (last === v ? v !== 0 || 1 / last === 1 / v : last !== last && v !== v)) {
      members[latest] |= bit;
      slot = latest;
      this.taken++;
    } else {
      slot = this.append(bit);
    }
    if (full) {
      // A window of one entry: the new one is its oldest too.
      if ((this.members[this.oldest[view]] & bit) === 0) this.oldest[view] = slot;
    } else if (this.held[view]++ === 0) {
      this.oldest[view] = slot;
    }
  }

  /** Appends the staged value as an entry the view holds. */
  private append(bit: number): number {
    // Still held: every slot is (the log has wrapped onto a held entry).
    if (this.members[this.head] !== 0) this.grow(this.slots * 2);
    const i = this.head;
    this.values[i] = this.staged[0];
    this.members[i] = bit;
    if (++this.head === this.slots) this.head = 0;
    this.appended++;
    return i;
  }

  /** Copies the full log in order into `slots` slots (its oldest entry first). */
  private grow(slots: number): void {
    const values = new Float64Array(slots);
    const members = new Uint8Array(slots);
    const first = this.head;
    for (let k = 0; k < this.slots; k++) {
      const from = (first + k) % this.slots;
      values[k] = this.values[from];
      members[k] = this.members[from];
    }
    for (let w = 0; w < VIEWS; w++) this.oldest[w] = (this.oldest[w] - first + this.slots) % this.slots;
    this.values = values;
    this.members = members;
    this.head = this.slots;
    this.slots = slots;
  }

  /** The view's newest `count` values, newest first (index 0: age 1). */
  byAge(view: number, count: number): Float64Array {
    const out = new Float64Array(Math.min(count, this.held[view]));
    const bit = 1 << view;
    let s = this.head;
    for (let k = 0; k < out.length; ) {
      if (--s < 0) s = this.slots - 1;
      if ((this.members[s] & bit) !== 0) out[k++] = this.values[s];
    }
    return out;
  }

  /**
   * The view's newest `count` values laid out as a count window's slots into `out` (its capacity
   * long): the newest at slot head − 1, older ones before it, wrapping. For a snapshot, which
   * passes capture-arena memory: byAge's fresh array, held while the checkpoint is written, was
   * promoted and counted toward V8's next full collection (docs/performance.md, "Live round").
   */
  writeBySlot(view: number, count: number, head: number, out: Float64Array): void {
    const n = Math.min(count, this.held[view], out.length);
    const bit = 1 << view;
    let s = this.head;
    let slot = head;
    for (let k = 0; k < n; ) {
      if (--s < 0) s = this.slots - 1;
      if ((this.members[s] & bit) === 0) continue;
      if (--slot < 0) slot = out.length - 1;
      out[slot] = this.values[s];
      k++;
    }
  }

  /** A new window for the view (drift's after the warm-up or an eviction): it holds nothing yet. */
  reset(view: number): void {
    const bit = 1 << view;
    let left = this.held[view];
    for (let s = this.oldest[view]; left > 0; s = s + 1 === this.slots ? 0 : s + 1) {
      if ((this.members[s] & bit) === 0) continue;
      this.members[s] &= ~bit;
      left--;
    }
    this.held[view] = 0;
  }

  /**
   * A restored window: its values newest first. The log is built again from both views' values,
   * the entries on which they agree (matched newest first) held once.
   */
  restore(view: number, newestFirst: Float64Array): void {
    if (newestFirst.length > this.capacity) throw new Error(`saved state does not fit: ${newestFirst.length} values for a window of ${this.capacity}`);
    this.reset(view);
    const other = 1 - view;
    const mine = newestFirst;
    const theirs = this.byAge(other, this.capacity);
    // Newest first: values and members of the log, each view's values in its own order.
    const values: number[] = [];
    const members: number[] = [];
    let a = 0;
    let b = 0;
    while (a < mine.length || b < theirs.length) {
      if (a < mine.length && b < theirs.length && sameValue(mine[a], theirs[b])) {
        values.push(mine[a++]);
        members.push(3);
        b++;
      } else if (b < theirs.length && (a >= mine.length || (b + 1 < theirs.length && sameValue(mine[a], theirs[b + 1])))) {
        values.push(theirs[b++]);
        members.push(1 << other);
      } else {
        values.push(mine[a++]);
        members.push(1 << view);
      }
    }
    const n = values.length;
    this.slots = Math.max(ringSlots(this.capacity), n + 1);
    this.values = new Float64Array(this.slots);
    this.members = new Uint8Array(this.slots);
    this.head = n;
    this.held.fill(0);
    for (let k = 0; k < n; k++) {
      const slot = n - 1 - k;
      this.values[slot] = values[k];
      this.members[slot] = members[k];
      for (let w = 0; w < VIEWS; w++) {
        if ((members[k] & (1 << w)) === 0) continue;
        this.held[w]++;
        this.oldest[w] = slot;
      }
    }
  }
}

/** Entries of a shared log: the window, and 1/16 of it for entries only one view holds (memory-budget.ts counts these). */
export function ringSlots(capacity: number): number {
  return capacity + Math.ceil(capacity / 16) + 1;
}

/** Equal as stored values: the same number (0 and −0 apart) or both missing (NaN). */
export function sameValue(a: number, b: number): boolean {
  return a === b ? a !== 0 || 1 / a === 1 / b : a !== a && b !== b;
}
