/**
 * A copy of a string that does not keep its source alive. V8 represents a substring of 13 or more
 * characters as a view into its parent, so a request id cut from a 530-byte log line and kept in a
 * store for an hour would keep the whole line in memory. Long-lived keys go through this first.
 */
export function detached(s: string): string {
  // Concatenation, then slicing, flattens into a fresh string of the id's own length.
  return s.length < 13 ? s : (' ' + s).slice(1);
}
