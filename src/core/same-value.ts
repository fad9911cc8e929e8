/**
 * Whether two computed results are equal as data: numbers by Object.is (NaN equals NaN, -0 is not
 * 0), arrays, typed arrays and Maps element by element in order, plain objects key by key; the same
 * object is equal at once. Analyzers compare a tick's results with the previous tick's with it, so
 * a tick that changed nothing a metric shows can say so (AnalyzerSet.tick) and the checkpoint timer
 * then captures nothing (issue 16, idle). Results are small trees of numbers, so this is cheap, and
 * where a window was unchanged the analyzer keeps the previous result object and the walk stops there.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) return sameElements(a as unknown as ArrayLike<unknown>, b as unknown as ArrayLike<unknown>);
  if (Array.isArray(a)) return sameElements(a, b as unknown[]);
  if (a instanceof Map) return sameMaps(a, b as Map<unknown, unknown>);
  if (a instanceof Set) return sameElements([...a], [...(b as Set<unknown>)]);
  return sameObjects(a as Record<string, unknown>, b as Record<string, unknown>);
}

function sameElements(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
  return true;
}

/** In insertion order: the order a family's samples are written in. */
function sameMaps(a: Map<unknown, unknown>, b: Map<unknown, unknown>): boolean {
  if (a.size !== b.size) return false;
  const other = b.entries();
  for (const [k, v] of a) {
    const [l, w] = other.next().value as [unknown, unknown];
    if (!sameValue(k, l) || !sameValue(v, w)) return false;
  }
  return true;
}

/** Own enumerable keys; a key present with `undefined` differs from a missing one. */
function sameObjects(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (!Object.hasOwn(b, k) || !sameValue(a[k], b[k])) return false;
  return true;
}
