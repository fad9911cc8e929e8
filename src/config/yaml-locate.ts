/**
 * Maps a validation path (`['sources', 0, 'paths']`) back to the YAML node it came from, so an error
 * can name the line and column a person has to edit.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';

export type ConfigPath = readonly PropertyKey[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `sources[0].format.fields` — keys that are not plain words are quoted: `server["my key"]`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

export interface LocatedNode {
  /** The node at the path, or the deepest ancestor that exists when the path runs out of the tree. */
  value: Node | null;
  /** The key node of the last segment when the path ends in a mapping entry. */
  key: Node | null;
  /** True when every segment was found. */
  complete: boolean;
}

function findPair(map: { items: Pair[] }, segment: PropertyKey): Pair | undefined {
  const wanted = String(segment);
  // toJS turns every scalar key into its string form, so compare that way too.
  return map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === wanted);
}

/**
 * Walks from the root along the path. Aliases are not followed: an error inside anchored content
 * points at the alias that brought it in, which is where this part of the config was written.
 */
export function locateNode(root: Node | null, path: ConfigPath): LocatedNode {
  let value: Node | null = root;
  let key: Node | null = null;
  for (const segment of path) {
    if (isMap(value)) {
      const pair = findPair(value, segment);
      if (!pair) return { value, key, complete: false };
      key = isScalar(pair.key) ? pair.key : null;
      // An entry written as `key:` with nothing after it may have no value node at all.
      if (pair.value === null) return { value: key, key, complete: true };
      value = pair.value as Node;
    } else if (isSeq(value) && typeof segment === 'number' && segment < value.items.length) {
      value = value.items[segment] as Node;
      key = null;
    } else {
      return { value, key, complete: false };
    }
  }
  return { value, key, complete: true };
}

export interface TextPosition {
  line: number;
  column: number;
}

/** 1-based line and column of a node's first character; 1:1 for nodes without a range. */
export function positionOf(node: Node | null, lines: LineCounter): TextPosition {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 1, column: 1 };
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
