/**
 * Event timestamps as model servers log them, to seconds since the Unix epoch.
 *
 * Numbers are read by magnitude, since logs rarely say their unit: below 1e11 they are seconds
 * (1e11 s is the year 5138), below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds.
 * Strings are RFC 3339 / ISO 8601 (`2024-05-14T09:21:37.512930823Z`, `+02:00`, `+0200`, a space
 * instead of `T`, any number of fractional digits) or a number written as a string. A date-time
 * without a zone is taken as UTC: a sidecar must not depend on the host's time zone.
 */

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,12}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Seconds since the epoch, or undefined when the value is not a timestamp. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return fromEpochNumber(value);
  if (typeof value !== 'string') return undefined;
  const fast = fromCanonicalUtc(value);
  if (fast !== undefined) return fast;
  const text = value.trim();
  if (NUMERIC.test(text)) return fromEpochNumber(Number(text));
  return fromIsoString(text);
}

export function fromEpochNumber(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n < 1e11) return n;
  if (n < 1e14) return n / 1e3;
  if (n < 1e17) return n / 1e6;
  return n / 1e9;
}

function fromIsoString(text: string): number | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  // A leap second (60) is folded onto the next second, as Date would do.
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const offset = zoneOffsetSeconds(m[8]);
  if (offset === undefined) return undefined;
  const whole = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  const seconds = whole + fraction - offset;
  // Before 1970 is no event time a model server writes; numbers are held to the same rule.
  return seconds >= 0 ? seconds : undefined;
}

function zoneOffsetSeconds(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 3600 + minutes * 60);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const POW10 = Array.from({ length: 13 }, (_, k) => 10 ** k);

/** Scratch for a string's character codes (fromCanonicalUtc): the longest canonical form is 33 characters. */
const CODES = new Uint8Array(33);

/**
 * canonicalUtcSeconds of the string: its characters as bytes when every one is ASCII (any other
 * character is no digit or separator of that form: undefined, and the general path decides).
 */
function fromCanonicalUtc(t: string): number | undefined {
  const n = t.length;
  if (n < 20 || n > 33) return undefined;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x80) return undefined;
    CODES[i] = c;
  }
  return canonicalUtcSeconds(CODES, 0, n);
}

/**
 * The shape nearly every server writes, `YYYY-MM-DDTHH:MM:SS[.f{1,12}]Z`, read from its ASCII bytes
 * b[start, end) without a regex and without decoding a string (the line scanner hands the bytes of a
 * JSON string without escapes straight from the read buffer). Undefined for anything else (including
 * invalid dates, any byte ≥ 0x80, an escape's backslash), which then takes the general path on the
 * decoded string; where it answers, it answers exactly as fromIsoString would (same Date.UTC, and
 * n digits / 10^n is the correctly rounded `0.<digits>`, as both are exact below 2^53).
 */
export function canonicalUtcSeconds(b: Uint8Array, start: number, end: number): number | undefined {
  const n = end - start;
  if (n < 20 || n > 33 || b[end - 1] !== 0x5a) return undefined;
  if (b[start + 4] !== 0x2d || b[start + 7] !== 0x2d || b[start + 10] !== 0x54 || b[start + 13] !== 0x3a || b[start + 16] !== 0x3a) {
    return undefined;
  }
  const year = digitsAt(b, start, 4);
  const month = twoDigitsAt(b, start + 5);
  const day = twoDigitsAt(b, start + 8);
  const hour = twoDigitsAt(b, start + 11);
  const minute = twoDigitsAt(b, start + 14);
  const second = twoDigitsAt(b, start + 17);
  // Years below 100 mean 19xx to Date.UTC; leave them (and every invalid field) to the general path.
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return undefined;
  }
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return undefined;
  let fraction = 0;
  if (n > 20) {
    if (b[start + 19] !== 0x2e || n < 22) return undefined;
    const digits = n - 21;
    const f = digitsAt(b, start + 20, digits);
    if (f < 0) return undefined;
    fraction = f / POW10[digits];
  }
  const seconds = (minuteStartMs(year, month, day, hour, minute) + second * 1000) / 1000 + fraction;
  return seconds >= 0 ? seconds : undefined;
}

/** The last minute asked for and its start: consecutive log lines nearly always share it. */
let lastMinute = -1;
let lastMinuteMs = 0;

/** Date.UTC(year, month − 1, day, hour, minute): integers, so adding the seconds' ms later is exact. */
function minuteStartMs(year: number, month: number, day: number, hour: number, minute: number): number {
  const key = (((year * 13 + month) * 32 + day) * 24 + hour) * 60 + minute;
  if (key !== lastMinute) {
    lastMinuteMs = Date.UTC(year, month - 1, day, hour, minute, 0);
    lastMinute = key;
  }
  return lastMinuteMs;
}

/** The decimal number in b[at, at+count), or −1 when a byte is not an ASCII digit. */
function digitsAt(b: Uint8Array, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = b[i] - 0x30;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** digitsAt(b, at, 2) without the loop (five of the six date-time fields). */
function twoDigitsAt(b: Uint8Array, at: number): number {
  const high = b[at] - 0x30;
  const low = b[at + 1] - 0x30;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}
