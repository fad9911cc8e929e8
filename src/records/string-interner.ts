/**
 * Reuses the strings a log repeats. A category, model or version cut from each line is a new
 * string every time: an allocation, and a hash to compute again in every Map that looks it up
 * (binner, data quality, PCA encoder). Here each position (a feature, a top-level field) has a
 * small direct-mapped table of the strings it last produced; when the text at hand spells the one
 * its slot holds, that string is returned instead of a new one. One compare per lookup, so a
 * position whose values never repeat (ids, timestamps) costs little more than the slice it needs anyway.
 */

/** Slots per position (a power of two). */
const SLOTS = 32;
/** Longer strings are rarely repeated categories: sliced as they are. */
const MAX_LENGTH = 64;

export class StringInterner {
  private readonly tables: (string | undefined)[][] = [];

  /** t.slice(start, end), or an equal string this position produced before. */
  get(t: string, start: number, end: number, position: number): string {
    const n = end - start;
    if (n > MAX_LENGTH) return t.slice(start, end);
    const table = (this.tables[position] ??= new Array<string | undefined>(SLOTS).fill(undefined));
    const slot = n === 0 ? 0 : (n * 31 + t.charCodeAt(start) * 7 + t.charCodeAt(end - 1)) & (SLOTS - 1);
    const held = table[slot];
    if (held !== undefined && held.length === n && t.startsWith(held, start)) return held;
    return (table[slot] = t.slice(start, end));
  }
}
