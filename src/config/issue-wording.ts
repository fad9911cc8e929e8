/**
 * Turns zod issues into the short, human sentences the loader prints ("expected array, got number"),
 * each with the path it concerns and which YAML node should carry the line:column.
 */
import type { z } from 'zod';
import { suggestKey } from './did-you-mean.js';
import { allowedKeysAt, isMissingKey, rawValueAt } from './schema-keys.js';
import type { ConfigPath } from './yaml-locate.js';

type ZodIssue = z.core.$ZodIssue;

/** Where the line:column points: the value, the key (unknown keys), or the enclosing mapping (missing keys). */
export type IssueAnchor = 'value' | 'key' | 'parent';

export interface WordedIssue {
  path: PropertyKey[];
  message: string;
  anchor: IssueAnchor;
}

/** Type names as a YAML author thinks of them. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const MAX_SHOWN_LENGTH = 60;

/** The offending value itself when it is short and scalar, otherwise its type. */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN_LENGTH ? `${value.slice(0, MAX_SHOWN_LENGTH)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeName(value);
}

function expectedName(expected: string): string {
  return expected === 'int' ? 'integer' : expected;
}

function plural(count: number | bigint, noun: string): string {
  return `${count} ${noun}${count === 1 || count === 1n ? '' : 's'}`;
}

function boundWords(origin: string, bound: number | bigint, inclusive: boolean | undefined, small: boolean): string {
  const atLeast = small ? 'at least' : 'at most';
  if (origin === 'string') return `must be ${atLeast} ${plural(bound, 'character')} long`;
  if (origin === 'array' || origin === 'set') return `must have ${atLeast} ${plural(bound, 'item')}`;
  if (inclusive === false) return `must be ${small ? 'greater' : 'less'} than ${bound}`;
  return `must be ${atLeast} ${bound}`;
}

/** "must have at least 2 items, got 1 item"; the common "min 1" on strings and lists reads "must not be empty". */
function boundSentence(origin: string, bound: number | bigint, inclusive: boolean | undefined, small: boolean, value: unknown): string {
  const counted = origin === 'string' || origin === 'array' || origin === 'set';
  if (counted && small && Number(bound) === 1) return 'must not be empty';
  const got =
    typeof value === 'string' ? plural(value.length, 'character') : Array.isArray(value) ? plural(value.length, 'item') : shownValue(value);
  return `${boundWords(origin, bound, inclusive, small)}, got ${got}`;
}

/**
 * A union whose every branch failed: name the branch whose type matched (an integer expected and a
 * fraction given), otherwise list the types any branch would have accepted.
 */
function unionSentence(branches: ZodIssue[][], value: unknown): { issue: ZodIssue } | { message: string } {
  const deeper = branches.flat().find((issue) => issue.path.length > 0 || issue.code !== 'invalid_type');
  if (deeper) return { issue: deeper };
  const expected = new Set<string>();
  for (const issue of branches.flat()) {
    if (issue.code !== 'invalid_type') continue;
    const name = expectedName(issue.expected);
    if (name === 'integer' && typeof value === 'number') return { issue };
    expected.add(name);
  }
  return { message: `expected ${[...expected].join(' or ')}, got ${typeName(value)}` };
}

function messageFor(issue: ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int' && typeof value === 'number') return `expected integer, got ${value}`;
      return `expected ${expectedName(issue.expected)}, got ${typeName(value)}`;
    case 'invalid_value':
      if (issue.values.length === 1) return `expected ${shownValue(issue.values[0])}, got ${shownValue(value)}`;
      return `expected one of ${issue.values.map(String).join('|')}, got ${shownValue(value)}`;
    case 'too_small':
      return boundSentence(issue.origin, issue.minimum, issue.inclusive, true, value);
    case 'too_big':
      return boundSentence(issue.origin, issue.maximum, issue.inclusive, false, value);
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}, got ${shownValue(value)}`;
    case 'invalid_format':
      // zod's own wording starts with "Invalid"; a schema author's message describes the expected shape.
      if (!issue.message.startsWith('Invalid')) return `expected ${issue.message}, got ${shownValue(value)}`;
      if (issue.format === 'regex' && issue.pattern) return `must match ${issue.pattern}, got ${shownValue(value)}`;
      return `expected a valid ${issue.format}, got ${shownValue(value)}`;
    default:
      // Custom refinements (durations, sizes) already speak to people.
      return issue.message;
  }
}

/** One zod issue → one or more worded issues (an unknown-keys issue names each key separately). */
export function wordIssue(issue: ZodIssue, root: unknown, schema: z.ZodType, base: ConfigPath = []): WordedIssue[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(schema, path, root);
    return issue.keys.map((key) => {
      const suggestion = suggestKey(key, allowed);
      const hint = suggestion === undefined ? '' : `, did you mean "${suggestion}"?`;
      return { path: [...path, key], message: `unknown key${hint}`, anchor: 'key' };
    });
  }
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && isMissingKey(root, path)) {
    return [{ path, message: 'required, missing', anchor: 'parent' }];
  }
  const value = rawValueAt(root, path);
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined && 'options' in issue && issue.options) {
    return [{ path, message: `expected one of ${issue.options.map(String).join('|')}, got ${shownValue(value)}`, anchor: 'value' }];
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const chosen = unionSentence(issue.errors, value);
    if ('issue' in chosen) return wordIssue(chosen.issue, root, schema, path);
    return [{ path, message: chosen.message, anchor: 'value' }];
  }
  if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
    return issue.issues.flatMap((inner) => wordIssue(inner, root, schema, path));
  }
  return [{ path, message: messageFor(issue, value), anchor: 'value' }];
}
