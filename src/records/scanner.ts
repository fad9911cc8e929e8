/**
 * A targeted scanner for one-object-per-line logs: walks the line once and keeps only the
 * configured top-level fields, building the feature row straight from the text instead of
 * materialising the whole object with JSON.parse and then copying out of it.
 *
 * It gives exactly what JSON.parse + the field getters give, or declines (returns false) and the
 * caller parses the line with JSON.parse as before. It declines on anything it does not handle
 * itself: invalid JSON anywhere in the line, a top-level value that is not an object, a wanted field
 * given twice, a feature value that is not a scalar, a repeated or `__proto__` feature key, nesting
 * deeper than the cursor allows. Wanted values that are arrays or objects (score vectors, feature
 * arrays) are decoded with JSON.parse on their own text.
 *
 * Keys are matched against the previous line's keys first: structured logs repeat the same keys in
 * the same order, so the row's keys are the same (already internalised) strings line after line.
 */
import type { FeatureRow } from './features.js';
import { numberEnd, scanned, skipWhitespace, stringEnd, stringValue, valueEnd } from './scanner-cursor.js';

const QUOTE = 0x22;
const hasOwn = Object.prototype.hasOwnProperty;

export class LineScanner {
  /** Per wanted field (constructor order): its raw value in the last scanned line, undefined when absent. */
  readonly values: unknown[];
  /** The feature row, when the features field was an object of scalars; else see `values`. */
  row: FeatureRow | undefined;
  private readonly slotsByKey = new Map<string, number[]>();
  private readonly seen: Uint32Array;
  private generation = 0;
  private topKeys: string[] = [];
  private featureKeys: string[] = [];

  /**
   * @param fields top-level key of each wanted field (a key may be wanted twice)
   * @param featuresSlot index in `fields` of the features object, −1 for none
   */
  constructor(
    fields: readonly string[],
    private readonly featuresSlot: number,
  ) {
    fields.forEach((key, slot) => {
      const slots = this.slotsByKey.get(key);
      if (slots) slots.push(slot);
      else this.slotsByKey.set(key, [slot]);
    });
    this.values = new Array<unknown>(fields.length).fill(undefined);
    this.seen = new Uint32Array(fields.length);
  }

  /** True when `values`/`row` now hold the line's fields; false: use JSON.parse. */
  scan(t: string): boolean {
    const gen = ++this.generation;
    const values = this.values;
    values.fill(undefined);
    this.row = undefined;
    let i = skipWhitespace(t, 0);
    if (t.charCodeAt(i) !== 0x7b) return false;
    i = skipWhitespace(t, i + 1);
    if (t.charCodeAt(i) === 0x7d) return skipWhitespace(t, i + 1) === t.length;
    const cached = this.topKeys;
    let k = 0;
    for (;; k++) {
      if (t.charCodeAt(i) !== QUOTE) return false;
      const keyClose = stringEnd(t, i + 1);
      if (keyClose < 0) return false;
      const key = cachedKey(cached, k, t, i, keyClose);
      i = skipWhitespace(t, keyClose + 1);
      if (t.charCodeAt(i) !== 0x3a) return false;
      i = skipWhitespace(t, i + 1);
      const slots = this.slotsByKey.get(key);
      if (slots === undefined) i = valueEnd(t, i);
      else {
        for (const slot of slots) {
          if (this.seen[slot] === gen) return false;
          this.seen[slot] = gen;
        }
        i = this.wantedValue(t, i, slots);
      }
      if (i < 0) return false;
      i = skipWhitespace(t, i);
      const c = t.charCodeAt(i);
      if (c === 0x7d) break;
      if (c !== 0x2c) return false;
      i = skipWhitespace(t, i + 1);
    }
    if (cached.length !== k + 1) cached.length = k + 1;
    return skipWhitespace(t, i + 1) === t.length;
  }

  private wantedValue(t: string, i: number, slots: number[]): number {
    const c = t.charCodeAt(i);
    if (c === 0x7b && slots.length === 1 && slots[0] === this.featuresSlot) {
      const end = this.featureObject(t, i + 1);
      if (end >= 0) this.values[this.featuresSlot] = this.row;
      return end;
    }
    const end = scalarEnd(t, i);
    if (end === -2) {
      // An array or object: rare for wanted fields; JSON.parse decodes its text exactly.
      const close = valueEnd(t, i);
      if (close < 0) return -1;
      for (const slot of slots) this.values[slot] = JSON.parse(t.slice(i, close));
      return close;
    }
    for (const slot of slots) this.values[slot] = scalar;
    return end;
  }

  /** The features object as a row; −1 (decline) on a non-scalar value or a repeated key. */
  private featureObject(t: string, i: number): number {
    const row: FeatureRow = {};
    const cached = this.featureKeys;
    i = skipWhitespace(t, i);
    if (t.charCodeAt(i) === 0x7d) {
      this.row = row;
      return i + 1;
    }
    // While every key matches the previous line's (distinct) keys in order, they are distinct here too.
    let trusted = true;
    for (let k = 0; ; k++) {
      if (t.charCodeAt(i) !== QUOTE) return -1;
      const keyClose = stringEnd(t, i + 1);
      if (keyClose < 0) return -1;
      const hit = k < cached.length && matchesAt(cached[k], t, i, keyClose);
      const key = hit ? cached[k] : stringValue(t, i, keyClose);
      if (!hit) {
        trusted = false;
        cached[k] = key;
      }
      if (!trusted && (key === '__proto__' || hasOwn.call(row, key))) {
        cached.length = 0;
        return -1;
      }
      i = skipWhitespace(t, keyClose + 1);
      if (t.charCodeAt(i) !== 0x3a) return -1;
      i = skipWhitespace(t, i + 1);
      i = scalarEnd(t, i);
      if (i < 0) return -1;
      row[key] = scalar as FeatureRow[string];
      i = skipWhitespace(t, i);
      const c = t.charCodeAt(i);
      if (c === 0x7d) {
        if (cached.length !== k + 1) cached.length = k + 1;
        this.row = row;
        return i + 1;
      }
      if (c !== 0x2c) return -1;
      i = skipWhitespace(t, i + 1);
    }
  }
}

/** Set by scalarEnd: the scalar just read. */
let scalar: string | number | boolean | null = null;

/** A string, number, true, false or null into `scalar`; −2 for an array or object, −1 invalid. */
function scalarEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === QUOTE) {
    const close = stringEnd(t, i + 1);
    if (close < 0) return -1;
    scalar = stringValue(t, i, close);
    return close + 1;
  }
  if (c === 0x7b || c === 0x5b) return -2;
  if (c === 0x74) return literal(t, i, 'true', true);
  if (c === 0x66) return literal(t, i, 'false', false);
  if (c === 0x6e) return literal(t, i, 'null', null);
  const end = numberEnd(t, i);
  scalar = scanned.number;
  return end;
}

function literal(t: string, i: number, word: string, value: boolean | null): number {
  if (!t.startsWith(word, i)) return -1;
  scalar = value;
  return i + word.length;
}

/** The key whose quotes are at `open` and `close`: the cached string when the text matches it. */
function cachedKey(cached: string[], k: number, t: string, open: number, close: number): string {
  if (k < cached.length && matchesAt(cached[k], t, open, close)) return cached[k];
  const key = stringValue(t, open, close);
  cached[k] = key;
  return key;
}

/** Whether the string just scanned by stringEnd (quotes at `open`, `close`) holds exactly `key`. */
function matchesAt(key: string, t: string, open: number, close: number): boolean {
  // An escaped text that spells the key would decode to something else: never a match.
  return !scanned.escaped && close - open - 1 === key.length && t.startsWith(key, open + 1);
}
