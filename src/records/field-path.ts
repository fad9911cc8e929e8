/**
 * Field locations in a JSON record, compiled once at config load into a getter for the hot path.
 *
 * Two spellings are accepted:
 * - a dotted path, `a.b.0`: dots separate segments; a segment of digits indexes an array (on an
 *   object it is an ordinary key). There is no quoting, so a key holding a dot needs a pointer.
 * - a JSON pointer (RFC 6901), `/a/b~1c/0`: starts with `/`, `~1` is `/` and `~0` is `~`.
 *
 * Only own properties are read, so `constructor` or `__proto__` never reach the prototype.
 */

export type FieldGetter = (value: unknown) => unknown;

interface Segment {
  key: string;
  /** The array index this segment names, or -1 when it is not a valid index. */
  index: number;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Throws on a malformed path: paths come from config, where a bad one must fail at startup. */
export function compileFieldPath(path: string): FieldGetter {
  const segments = path.startsWith('/') ? pointerSegments(path) : dottedSegments(path);
  if (segments.length === 1) {
    const only = segments[0];
    return (value) => step(value, only);
  }
  return (value) => {
    let current = value;
    for (let i = 0; i < segments.length && current !== undefined; i++) current = step(current, segments[i]);
    return current;
  };
}

function step(value: unknown, segment: Segment): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return segment.index >= 0 ? value[segment.index] : undefined;
  return hasOwn.call(value, segment.key) ? (value as Record<string, unknown>)[segment.key] : undefined;
}

function dottedSegments(path: string): Segment[] {
  if (path === '') throw new Error('a field path must not be empty');
  return path.split('.').map((key) => {
    if (key === '') throw new Error(`field path "${path}" has an empty segment (two dots, or a dot at an end)`);
    return { key, index: arrayIndex(key) };
  });
}

function pointerSegments(pointer: string): Segment[] {
  if (/~[^01]|~$/.test(pointer)) throw new Error(`JSON pointer "${pointer}" has a "~" not followed by 0 or 1`);
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return { key, index: arrayIndex(key) };
    });
}

/** RFC 6901 array indices: digits without a leading zero. */
function arrayIndex(key: string): number {
  if (!/^(0|[1-9]\d*)$/.test(key)) return -1;
  const n = Number(key);
  return Number.isSafeInteger(n) ? n : -1;
}
