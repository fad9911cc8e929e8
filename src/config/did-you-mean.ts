/**
 * Suggests the allowed key a misspelt one was probably meant to be: within edit distance 2, or a
 * prefix either way (`poll` → `poll_interval`). Short keys need a closer match so that `a` does not
 * "mean" every two-letter key.
 */

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  // One rolling row: keys are short, so the O(n·m) table is tiny.
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

const MIN_PREFIX_LENGTH = 3;
const MAX_DISTANCE = 2;

/** The closest allowed key, or undefined when none is close enough to be a helpful guess. */
export function suggestKey(unknown: string, allowed: readonly string[]): string | undefined {
  const typed = unknown.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of allowed) {
    const key = candidate.toLowerCase();
    const distance = levenshtein(typed, key);
    const closeEnough = distance <= MAX_DISTANCE && distance < Math.min(typed.length, key.length);
    const isPrefix =
      Math.min(typed.length, key.length) >= MIN_PREFIX_LENGTH && (key.startsWith(typed) || typed.startsWith(key));
    if (!closeEnough && !isPrefix) continue;
    // A real edit-distance match beats a prefix match; among equals the first allowed key wins.
    const score = closeEnough ? distance : MAX_DISTANCE + 1;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
