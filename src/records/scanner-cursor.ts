/**
 * The JSON grammar, one token at a time, over a line held as a string: the primitives of the
 * targeted line scanner (scanner.ts). Each function takes the index where a token starts and
 * returns the index just past it, or −1 when the text is not valid JSON there (or is something
 * the scanner leaves to JSON.parse, such as nesting deeper than MAX_DEPTH). A −1 never means
 * "invalid line" to the caller, only "let JSON.parse decide", so these need to be exact only about
 * what they accept.
 *
 * charCodeAt past the end is NaN, which matches no test below: running off the end fails softly.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_DEPTH = 64;

/** Exactly representable powers of ten: m / 10^k and m × 10^k round once, hence correctly. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * Side results of the last token, so the hot functions return a plain index: `escaped` (set by
 * stringEnd: the string holds an escape, JSON.parse decodes it) and `number` (set by numberEnd).
 */
export const scanned = { escaped: false, number: 0 };

export function skipWhitespace(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** `i` is just past the opening quote; returns the index of the closing quote. */
export function stringEnd(t: string, i: number): number {
  scanned.escaped = false;
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      scanned.escaped = true;
      const e = t.charCodeAt(i + 1);
      if (e === 0x75) {
        for (let k = 2; k < 6; k++) if (!isHex(t.charCodeAt(i + k))) return -1;
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1;
      i += 2;
      continue;
    }
    // Raw control characters are not allowed in JSON strings (and NaN: unterminated).
    if (!(c >= 0x20)) return -1;
    i++;
  }
}

/** The decoded string whose opening quote is at `open` and closing quote at `close`. */
export function stringValue(t: string, open: number, close: number): string {
  return scanned.escaped ? (JSON.parse(t.slice(open, close + 1)) as string) : t.slice(open + 1, close);
}

/**
 * RFC 8259 number grammar. The value is exact: up to 15 significant digits and a decimal exponent
 * within ±22 it is computed from exactly representable integers with one rounding (Clinger's fast
 * path), which is the correctly rounded result JSON.parse gives; anything else goes through Number().
 */
export function numberEnd(t: string, i: number): number {
  const start = i;
  let c = t.charCodeAt(i);
  const negative = c === 0x2d;
  if (negative) c = t.charCodeAt(++i);
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  if (c === ZERO) c = t.charCodeAt(++i);
  else if (c > ZERO && c <= NINE) {
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = t.charCodeAt(++i);
    } while (c >= ZERO && c <= NINE);
  } else return -1;
  if (c === 0x2e) {
    c = t.charCodeAt(++i);
    if (!(c >= ZERO && c <= NINE)) return -1;
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      scale++;
      c = t.charCodeAt(++i);
    } while (c >= ZERO && c <= NINE);
  }
  let exponent = 0;
  if (c === 0x65 || c === 0x45) {
    c = t.charCodeAt(++i);
    const negativeExponent = c === 0x2d;
    if (c === 0x2b || c === 0x2d) c = t.charCodeAt(++i);
    if (!(c >= ZERO && c <= NINE)) return -1;
    do {
      if (exponent < 1e6) exponent = exponent * 10 + (c - ZERO);
      c = t.charCodeAt(++i);
    } while (c >= ZERO && c <= NINE);
    if (negativeExponent) exponent = -exponent;
  }
  const e10 = exponent - scale;
  if (digits <= 15 && e10 >= -22 && e10 <= 22) {
    const magnitude = e10 < 0 ? mantissa / POW10[-e10] : mantissa * POW10[e10];
    scanned.number = negative ? -magnitude : magnitude;
  } else {
    scanned.number = Number(t.slice(start, i));
  }
  return i;
}

/** Skips any JSON value (validating it); `depth` bounds recursion. */
export function valueEnd(t: string, i: number, depth = 0): number {
  const c = t.charCodeAt(i);
  if (c === QUOTE) {
    const close = stringEnd(t, i + 1);
    return close < 0 ? -1 : close + 1;
  }
  if (c === 0x7b) return depth >= MAX_DEPTH ? -1 : containerEnd(t, i + 1, depth + 1, 0x7d, true);
  if (c === 0x5b) return depth >= MAX_DEPTH ? -1 : containerEnd(t, i + 1, depth + 1, 0x5d, false);
  if (c === 0x74) return t.startsWith('true', i) ? i + 4 : -1;
  if (c === 0x66) return t.startsWith('false', i) ? i + 5 : -1;
  if (c === 0x6e) return t.startsWith('null', i) ? i + 4 : -1;
  return numberEnd(t, i);
}

function containerEnd(t: string, i: number, depth: number, close: number, keyed: boolean): number {
  i = skipWhitespace(t, i);
  if (t.charCodeAt(i) === close) return i + 1;
  for (;;) {
    if (keyed) {
      if (t.charCodeAt(i) !== QUOTE) return -1;
      const keyClose = stringEnd(t, i + 1);
      if (keyClose < 0) return -1;
      i = skipWhitespace(t, keyClose + 1);
      if (t.charCodeAt(i) !== 0x3a) return -1;
      i = skipWhitespace(t, i + 1);
    }
    i = valueEnd(t, i, depth);
    if (i < 0) return -1;
    i = skipWhitespace(t, i);
    const c = t.charCodeAt(i);
    if (c === close) return i + 1;
    if (c !== 0x2c) return -1;
    i = skipWhitespace(t, i + 1);
  }
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
