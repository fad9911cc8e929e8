/**
 * Parsing numbers straight from the bytes of a file, without making a string per cell. Plain decimals
 * with at most 15 significant digits and a power of ten within ±22 are exact in one correctly rounded
 * multiply or divide (Clinger's fast path), so the result equals Number(text) bit for bit; anything
 * else falls back to Number on the decoded text.
 */

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Cell texts that mean "missing" in CSV/JSONL input. */
export const MISSING_TEXTS: ReadonlySet<string> = new Set(['', 'NA', 'null', 'NaN']);

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DOT = 46;
const PLUS = 43;
const MINUS = 45;
const LOWER_E = 101;
const UPPER_E = 69;

/** The decimal number in bytes[start, end), or undefined when the text is not a plain decimal. */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  while (i < end && (bytes[i] === 32 || bytes[i] === 9)) i++;
  let stop = end;
  while (stop > i && (bytes[stop - 1] === 32 || bytes[stop - 1] === 9)) stop--;
  if (i >= stop) return undefined;
  let negative = false;
  if (bytes[i] === PLUS || bytes[i] === MINUS) {
    negative = bytes[i] === MINUS;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let scale = 0;
  let inFraction = false;
  for (; i < stop; i++) {
    const b = bytes[i];
    if (b >= DIGIT_0 && b <= DIGIT_9) {
      digits++;
      if (mantissa === 0 && b === DIGIT_0) {
        if (inFraction) scale--;
        continue;
      }
      significant++;
      mantissa = mantissa * 10 + (b - DIGIT_0);
      if (inFraction) scale--;
    } else if (b === DOT && !inFraction) {
      inFraction = true;
    } else break;
  }
  if (digits === 0) return undefined;
  if (i < stop) {
    if (bytes[i] !== LOWER_E && bytes[i] !== UPPER_E) return undefined;
    i++;
    let expNegative = false;
    if (i < stop && (bytes[i] === PLUS || bytes[i] === MINUS)) {
      expNegative = bytes[i] === MINUS;
      i++;
    }
    if (i >= stop) return undefined;
    let exponent = 0;
    for (; i < stop; i++) {
      const b = bytes[i];
      if (b < DIGIT_0 || b > DIGIT_9) return undefined;
      exponent = Math.min(exponent * 10 + (b - DIGIT_0), 100000);
    }
    scale += expNegative ? -exponent : exponent;
  }
  if (mantissa === 0) return negative ? -0 : 0;
  if (significant <= 15 && scale >= -22 && scale <= 22) {
    const value = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
    return negative ? -value : value;
  }
  // Too many digits or too large an exponent for the exact fast path: let Number round it (sign included).
  const value = Number(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1').trim());
  return Number.isFinite(value) ? value : undefined;
}

/** The same rules for text already decoded (quoted CSV cells, JSON strings are not numbers). */
export function parseDecimalText(text: string): number | undefined {
  const bytes = Buffer.from(text, 'latin1');
  return parseDecimal(bytes, 0, bytes.length);
}
