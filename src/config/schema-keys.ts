/**
 * The keys an object schema allows at a given path, found by walking the zod schema alongside the
 * raw value (the raw value picks the branch of a discriminated union). Used only for did-you-mean.
 */
import * as z from 'zod';
import type { ConfigPath } from './yaml-locate.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The raw (pre-validation) value at a path, or undefined where the path leaves the data. */
export function rawValueAt(root: unknown, path: ConfigPath): unknown {
  let value = root;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isPlainObject(value) && typeof segment === 'string' && Object.hasOwn(value, segment)) value = value[segment];
    else return undefined;
  }
  return value;
}

/** True when the path names a key its (existing) parent mapping does not have. */
export function isMissingKey(root: unknown, path: ConfigPath): boolean {
  if (path.length === 0) return false;
  const parent = rawValueAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  return isPlainObject(parent) && typeof last === 'string' && !Object.hasOwn(parent, last);
}

/** Peels wrappers that do not change which keys are allowed. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPrefault || current instanceof z.ZodReadonly || current instanceof z.ZodCatch) {
      current = current.def.innerType as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else if (current instanceof z.ZodLazy) {
      current = current.unwrap() as z.ZodType;
    } else return current;
  }
}

/** The object schemas a raw value may be checked against: one, or the matching union branches. */
function objectBranches(schema: z.ZodType, raw: unknown): z.ZodObject[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return [inner];
  if (!(inner instanceof z.ZodUnion)) return [];
  const branches = (inner.options as z.ZodType[]).flatMap((option) => objectBranches(option, raw));
  const discriminator = inner instanceof z.ZodDiscriminatedUnion ? inner.def.discriminator : undefined;
  if (discriminator === undefined || !isPlainObject(raw)) return branches;
  const chosen = branches.filter((branch) => {
    const field = branch.shape[discriminator] as z.ZodType | undefined;
    return field !== undefined && field.safeParse(raw[discriminator]).success;
  });
  return chosen.length > 0 ? chosen : branches;
}

function childSchema(schema: z.ZodType, segment: PropertyKey, raw: unknown): z.ZodType | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray) return inner.element as z.ZodType;
  if (inner instanceof z.ZodRecord) return inner.valueType as z.ZodType;
  for (const branch of objectBranches(inner, raw)) {
    const field = branch.shape[String(segment)] as z.ZodType | undefined;
    if (field) return field;
  }
  return undefined;
}

/** Allowed keys of the mapping at `path`; empty when the schema there is not an object. */
export function allowedKeysAt(schema: z.ZodType, path: ConfigPath, root: unknown): string[] {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; depth < path.length && current; depth++) {
    current = childSchema(current, path[depth], rawValueAt(root, path.slice(0, depth)));
  }
  if (!current) return [];
  // A record keyed by an enum (per-method thresholds) allows exactly the enum's values.
  const inner = unwrap(current);
  if (inner instanceof z.ZodRecord && inner.keyType instanceof z.ZodEnum) return inner.keyType.options.map(String);
  const raw = rawValueAt(root, path);
  return [...new Set(objectBranches(current, raw).flatMap((branch) => Object.keys(branch.shape)))];
}
