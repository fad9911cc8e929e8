/**
 * Reuses the strings a log repeats. A category, model or version cut from each line is a new
 * string every time: an allocation, and a hash to compute again in every Map that looks it up
 * (binner, data quality, PCA encoder). Here each position (a feature, a top-level field) has a
 * small direct-mapped table of the strings it last produced; when the text at hand spells the one
 * its slot holds, that string is returned instead of a new one. A position whose values do not
 * repeat (ids, timestamps) stops being looked up once it has missed far more often than it hit:
 * each miss also stores a young string into an old table, which the garbage collector must track.
 */

/** Slots per position (a power of two). */
const SLOTS = 32;
/** Longer strings are rarely repeated categories: sliced as they are. */
const MAX_LENGTH = 64;
/** Hits minus misses below which a position is no longer looked up. */
const GIVE_UP = -512;
/**
 * Positions with a table. A hostile or sparse log can put 100,000 keys in one 1 MiB features object;
 * a table for each would stay for the process's life. Real feature sets are far smaller.
 */
const MAX_POSITIONS = 1024;

export class StringInterner {
  private readonly tables: (string | undefined)[][] = [];
  /** Per position: hits minus misses, capped at 0 (a position that hits stays on). */
  private readonly balance: number[] = [];

  /** t.slice(start, end), or an equal string this position produced before. */
  get(t: string, start: number, end: number, position: number): string {
    const n = end - start;
    if (n > MAX_LENGTH || position >= MAX_POSITIONS) return t.slice(start, end);
    let table = this.tables[position];
    if (table === undefined) {
      table = this.tables[position] = new Array<string | undefined>(SLOTS).fill(undefined);
      this.balance[position] = 0;
    }
    const balance = this.balance[position];
    if (balance <= GIVE_UP) return t.slice(start, end);
    const slot = n === 0 ? 0 : (n * 31 + t.charCodeAt(start) * 7 + t.charCodeAt(end - 1)) & (SLOTS - 1);
    const held = table[slot];
    if (held !== undefined && held.length === n && t.startsWith(held, start)) {
      if (balance < 0) this.balance[position] = balance + 1;
      return held;
    }
    this.balance[position] = balance - 1;
    return (table[slot] = t.slice(start, end));
  }
}
