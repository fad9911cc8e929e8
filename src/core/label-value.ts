/**
 * Label values from log content are bounded in length. A longer value keeps its head and ends with
 * a marker, `…#` and 8 hex digits of a hash of the whole value, so two long values that share a
 * head stay two series, and a reader sees at a glance that the value was cut.
 */

export const DEFAULT_MAX_LABEL_VALUE_LENGTH = 128;
const MARKER = 10; // '…#' + 8 hex digits

/** FNV-1a, 32 bits, over UTF-16 code units: a stable fingerprint, not a security hash. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The value itself when short enough, else its head with the truncation marker (length = max). */
export function boundLabelValue(value: string, max = DEFAULT_MAX_LABEL_VALUE_LENGTH): string {
  if (value.length <= max) return value;
  let head = Math.max(0, max - MARKER);
  // Never cut a surrogate pair in half: the exposition must stay valid UTF-8.
  const c = value.charCodeAt(head - 1);
  if (head > 0 && c >= 0xd800 && c <= 0xdbff) head--;
  return `${value.slice(0, head)}…#${fnv1a(value)}`;
}
