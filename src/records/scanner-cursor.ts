/**
 * The JSON grammar, one token at a time, over a line's bytes in a read buffer (UTF-8, already
 * checked as valid by the line splitter): the primitives of the targeted line scanner (scanner.ts).
 * Each function takes the index where a token starts and returns the index just past it, or −1
 * when the text is not valid JSON there (or is something the scanner leaves to JSON.parse, such as
 * nesting deeper than MAX_DEPTH). A −1 never means "invalid line" to the caller, only "let
 * JSON.parse decide", so these need to be exact only about what they accept.
 *
 * The line is b[start, lineEnd). Only skipWhitespace stops at lineEnd (the byte there is the LF or
 * CR that ended the line, which is whitespace); every other token stops at a byte it does not
 * expect, and past the buffer's end b[i] is undefined, which matches no test below. A token that
 * ran past lineEnd leaves the index beyond it, and the scanner's last check (index === lineEnd)
 * declines the line: what lies after the line never makes a line accepted.
 *
 * Bytes ≥ 0x80 (the parts of a multi-byte character) only ever occur inside strings, where they
 * are taken as they are: a string without escapes is decoded straight from its bytes.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_DEPTH = 64;

/** Exactly representable powers of ten: m / 10^k and m × 10^k round once, hence correctly. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * Side results of the last token, so the hot functions return a plain index: `escaped` (set by
 * stringEnd: the string holds an escape, JSON.parse decodes it), `ascii` (set by stringEnd: every
 * byte of the string is below 0x80), `hash` (set by stringEnd: a hash of the string's bytes, taken
 * in the same pass, for the interner's table) and `number` (set by numberEnd).
 */
export const scanned = { escaped: false, ascii: true, hash: 0, number: 0 };

/** Where the line being scanned ends (exclusive); set by the scanner before each line. */
let lineEnd = 0;

export function setLineEnd(end: number): void {
  lineEnd = end;
}

export function skipWhitespace(b: Uint8Array, i: number): number {
  // Most tokens follow each other without whitespace: one test then (no whitespace byte is above
  // 0x20, and the loop would stop at once there too, before lineEnd or not).
  if (b[i] > 0x20) return i;
  while (i < lineEnd) {
    const c = b[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
  return i;
}

/** `i` is just past the opening quote; returns the index of the closing quote. */
export function stringEnd(b: Uint8Array, i: number): number {
  let escaped = false;
  let high = 0;
  let hash = 0;
  for (;;) {
    const c = b[i];
    if (c === QUOTE) break;
    if (c === BACKSLASH) {
      escaped = true;
      const e = b[i + 1];
      if (e === 0x75) {
        for (let k = 2; k < 6; k++) if (!isHex(b[i + k])) return -1;
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1;
      i += 2;
      continue;
    }
    // Raw control characters are not allowed in JSON strings (and undefined: past the buffer).
    if (!(c >= 0x20)) return -1;
    high |= c;
    hash = (Math.imul(hash, 31) + c) | 0;
    i++;
  }
  scanned.escaped = escaped;
  scanned.hash = hash;
  scanned.ascii = high < 0x80;
  return i;
}

/**
 * `i` is just past the opening quote: the index of the closing quote when every byte before it is
 * printable ASCII other than a backslash (no escape, nothing to decode), else −1 (then stringEnd).
 * What stringEnd would give with `escaped` false and `ascii` true, without its hash.
 */
export function asciiStringEnd(b: Uint8Array, i: number): number {
  for (;;) {
    const c = b[i];
    if (c === QUOTE) return i;
    if (!(c >= 0x20 && c < 0x80) || c === BACKSLASH) return -1;
    i++;
  }
}

/** The decoded string whose opening quote is at `open` and closing quote at `close` (after stringEnd). */
export function stringValue(b: Buffer, open: number, close: number): string {
  if (scanned.escaped) return JSON.parse(b.toString('utf8', open, close + 1)) as string;
  // latin1 is the same as utf8 for ASCII, and cheaper (no decoding).
  return b.toString(scanned.ascii ? 'latin1' : 'utf8', open + 1, close);
}

/**
 * RFC 8259 number grammar. The value is exact: up to 15 significant digits and a decimal exponent
 * within ±22 it is computed from exactly representable integers with one rounding (Clinger's fast
 * path), which is the correctly rounded result JSON.parse gives; anything else goes through
 * Number() of the number's text (ASCII: latin1 is exact).
 *
 * Split in two so that the common spelling (digits, a point, digits: no exponent, at most 15
 * digits) is a function small enough for V8 to inline into the scanner's loops (measured: 50 → 27
 * ns a number); anything else is read again from its start by numberWithExponentEnd.
 */
export function numberEnd(b: Buffer, i: number): number {
  const start = i;
  let c = b[i];
  const negative = c === 0x2d;
  if (negative) c = b[++i];
  let mantissa = 0;
  // Digits and the fraction's length come from where the runs start and end, not from counters.
  let digits = 0;
  let scale = 0;
  if (c === ZERO) c = b[++i];
  else if (c > ZERO && c <= NINE) {
    const from = i;
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      c = b[++i];
    } while (c >= ZERO && c <= NINE);
    digits = i - from;
  } else return -1;
  if (c === 0x2e) {
    c = b[++i];
    if (!(c >= ZERO && c <= NINE)) return -1;
    const from = i;
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      c = b[++i];
    } while (c >= ZERO && c <= NINE);
    scale = i - from;
    digits += scale;
  }
  if (digits > 15 || c === 0x65 || c === 0x45) return numberWithExponentEnd(b, start);
  // One division by an exact power of ten (scale ≤ digits ≤ 15). The sign before the division:
  // IEEE rounding is symmetric, so −(m / p) = (−m) / p.
  scanned.number = (negative ? -mantissa : mantissa) / POW10[scale];
  return i;
}

/** numberEnd for a number with an exponent or more than 15 digits, read from its start. */
function numberWithExponentEnd(b: Buffer, i: number): number {
  const start = i;
  let c = b[i];
  const negative = c === 0x2d;
  if (negative) c = b[++i];
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  if (c === ZERO) c = b[++i];
  else {
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = b[++i];
    } while (c >= ZERO && c <= NINE);
  }
  if (c === 0x2e) {
    c = b[++i];
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      scale++;
      c = b[++i];
    } while (c >= ZERO && c <= NINE);
  }
  let exponent = 0;
  if (c === 0x65 || c === 0x45) {
    c = b[++i];
    const negativeExponent = c === 0x2d;
    if (c === 0x2b || c === 0x2d) c = b[++i];
    if (!(c >= ZERO && c <= NINE)) return -1;
    do {
      if (exponent < 1e6) exponent = exponent * 10 + (c - ZERO);
      c = b[++i];
    } while (c >= ZERO && c <= NINE);
    if (negativeExponent) exponent = -exponent;
  }
  const e10 = exponent - scale;
  if (digits <= 15 && e10 >= -22 && e10 <= 22) {
    const magnitude = e10 < 0 ? mantissa / POW10[-e10] : mantissa * POW10[e10];
    scanned.number = negative ? -magnitude : magnitude;
  } else {
    scanned.number = Number(b.toString('latin1', start, i));
  }
  return i;
}

/** Whether the bytes at `i` spell `word` (ASCII). */
export function spells(b: Uint8Array, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

/** Skips any JSON value (validating it); `depth` bounds recursion. */
export function valueEnd(b: Buffer, i: number, depth = 0): number {
  const c = b[i];
  if (c === QUOTE) {
    const close = stringEnd(b, i + 1);
    return close < 0 ? -1 : close + 1;
  }
  if (c === 0x7b) return depth >= MAX_DEPTH ? -1 : containerEnd(b, i + 1, depth + 1, 0x7d, true);
  if (c === 0x5b) return depth >= MAX_DEPTH ? -1 : containerEnd(b, i + 1, depth + 1, 0x5d, false);
  if (c === 0x74) return spells(b, i, 'true') ? i + 4 : -1;
  if (c === 0x66) return spells(b, i, 'false') ? i + 5 : -1;
  if (c === 0x6e) return spells(b, i, 'null') ? i + 4 : -1;
  return numberEnd(b, i);
}

function containerEnd(b: Buffer, i: number, depth: number, close: number, keyed: boolean): number {
  i = skipWhitespace(b, i);
  if (b[i] === close) return i + 1;
  for (;;) {
    if (keyed) {
      if (b[i] !== QUOTE) return -1;
      const keyClose = stringEnd(b, i + 1);
      if (keyClose < 0) return -1;
      i = skipWhitespace(b, keyClose + 1);
      if (b[i] !== 0x3a) return -1;
      i = skipWhitespace(b, i + 1);
    }
    i = valueEnd(b, i, depth);
    if (i < 0) return -1;
    i = skipWhitespace(b, i);
    const c = b[i];
    if (c === close) return i + 1;
    if (c !== 0x2c) return -1;
    i = skipWhitespace(b, i + 1);
  }
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
