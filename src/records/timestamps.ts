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
