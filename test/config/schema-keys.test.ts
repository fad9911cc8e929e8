import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { allowedKeysAt, isMissingKey, rawValueAt } from '../../src/config/schema-keys.js';

// A schema of its own, so these tests do not move when the real config grows.
const pet = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cat'), lives: z.number().default(9) }).strict(),
  z.object({ kind: z.literal('dog'), breed: z.string() }).strict(),
]);
const schema = z
  .object({
    owner: z.object({ name: z.string(), email: z.string().optional() }).strict().default({ name: 'x' }),
    pets: z.array(pet).default([]),
    limits: z.partialRecord(z.enum(['cpu', 'memory']), z.number()).optional(),
    tags: z.record(z.string(), z.object({ colour: z.string() }).strict()).optional(),
    retry: z.union([z.number(), z.string()]).transform(String).optional(),
  })
  .strict();

describe('allowedKeysAt', () => {
  it('lists the keys of nested objects under defaults and optionals', () => {
    expect(allowedKeysAt(schema, [], {})).toEqual(['owner', 'pets', 'limits', 'tags', 'retry']);
    expect(allowedKeysAt(schema, ['owner'], { owner: {} })).toEqual(['name', 'email']);
  });

  it('follows the discriminator of a union to the chosen branch', () => {
    const raw = { pets: [{ kind: 'cat' }, { kind: 'dog' }, { kind: 'eel' }] };
    expect(allowedKeysAt(schema, ['pets', 0], raw)).toEqual(['kind', 'lives']);
    expect(allowedKeysAt(schema, ['pets', 1], raw)).toEqual(['kind', 'breed']);
    // An unknown discriminator gives every branch's keys.
    expect(allowedKeysAt(schema, ['pets', 2], raw)).toEqual(['kind', 'lives', 'breed']);
  });

  it('offers an enum-keyed record its enum values and looks through records', () => {
    expect(allowedKeysAt(schema, ['limits'], { limits: {} })).toEqual(['cpu', 'memory']);
    expect(allowedKeysAt(schema, ['tags', 'anything'], { tags: { anything: {} } })).toEqual(['colour']);
  });

  it('returns nothing where the schema has no object', () => {
    expect(allowedKeysAt(schema, ['retry'], { retry: 1 })).toEqual([]);
    expect(allowedKeysAt(schema, ['nope', 'deeper'], {})).toEqual([]);
  });
});

describe('rawValueAt and isMissingKey', () => {
  const raw = { a: { b: [10, { c: null }] }, own: 1 };

  it('walks objects and arrays, and stops where the data ends', () => {
    expect(rawValueAt(raw, ['a', 'b', 1, 'c'])).toBeNull();
    expect(rawValueAt(raw, ['a', 'b', 0])).toBe(10);
    expect(rawValueAt(raw, ['a', 'x', 0])).toBeUndefined();
    expect(rawValueAt(raw, ['toString'])).toBeUndefined();
  });

  it('says a key is missing only when its parent mapping exists and lacks it', () => {
    expect(isMissingKey(raw, ['a', 'zzz'])).toBe(true);
    expect(isMissingKey(raw, ['a', 'b', 1, 'c'])).toBe(false);
    expect(isMissingKey(raw, ['a', 'b', 5])).toBe(false);
    expect(isMissingKey(raw, ['x', 'y'])).toBe(false);
    expect(isMissingKey(raw, [])).toBe(false);
  });
});
