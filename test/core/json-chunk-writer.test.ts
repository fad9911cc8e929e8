import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonChunkWriter } from '../../src/core/json-chunk-writer.js';
import { IdTable } from '../../src/core/id-table.js';
import { CachedJson, cachedValue } from '../../src/core/cached-json.js';
import { decodeFloat64, encodeTyped } from '../../src/core/typed-codec.js';

/** The bytes the writer hands its sink for `value`, with a small buffer so that chunks split often. */
async function written(value: unknown, size = 64): Promise<{ text: string; chunks: number; bytes: number }> {
  const parts: Buffer[] = [];
  const w = new JsonChunkWriter(async (chunk) => void parts.push(Buffer.from(chunk)), size);
  await w.value(value);
  await w.flush();
  return { text: Buffer.concat(parts).toString('utf8'), chunks: parts.length, bytes: w.bytes };
}

const base64 = (n: number) => Buffer.from(Float64Array.from({ length: n }, (_, i) => i * 0.1 - 3).buffer).toString('base64');

describe('JsonChunkWriter', () => {
  it('writes exactly JSON.stringify of a checkpoint-shaped state, in chunks of the buffer size', async () => {
    const state = {
      version: 1,
      counters: { lines_total: Array.from({ length: 3000 }, (_, i) => ({ n: 'lines_total', l: [['source', `s${i}`]], v: i })) },
      analyzers: {
        drift: { models: [{ key: ['m', 'v1'], windows: [{ ring: base64(5000), head: 3, filled: true, skip: undefined, fn: () => 1 }] }] },
        joiner: { ids: Array.from({ length: 2500 }, (_, i) => `id-${i}-é"\\`), values: [1, null, 'x', NaN, Infinity, undefined, -0] },
        quoted: `${'a'.repeat(300)}"${'b'.repeat(300)}`,
        unicode: `${'é'.repeat(400)}😀\u2028`,
        control: `${'c'.repeat(300)}\n\u0001`,
        lone: `${'d'.repeat(300)}\ud800`,
        date: new Date(0),
        empty: { a: [], o: {} },
      },
    };
    const out = await written(state, 4096);
    expect(out.text).toBe(JSON.stringify(state));
    expect(out.bytes).toBe(Buffer.byteLength(out.text));
    expect(out.chunks).toBeGreaterThan(10);
  });

  it('equals JSON.stringify on arbitrary JSON values, long strings and arrays included', async () => {
    const long = fc.string({ minLength: 250, maxLength: 600, unit: fc.constantFrom('A', 'z', '+', '/', '=', '"', '\\', '\n', 'é', '😀', '\ud800') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), long, fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 }), fc.array(fc.integer(), { minLength: 1000, maxLength: 3000 })),
    })).node;
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        expect((await written(v, 32)).text).toBe(JSON.stringify(v));
      }),
      { numRuns: 200 },
    );
  });

  it('passes a text longer than its buffer to the sink in one piece', async () => {
    const text = base64(10_000);
    const out = await written(text, 1024);
    expect(out.text).toBe(JSON.stringify(text));
  });

  it('writes a typed-array copy as the base64 string of its bytes at the capture, whatever its length and the buffer size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double(), { maxLength: 20_000 }), fc.constantFrom(8, 64, 4096, 1 << 20), async (xs, size) => {
        const a = Float64Array.from(xs);
        const copy = encodeTyped(a);
        const expected = JSON.stringify(Buffer.from(a.buffer).toString('base64'));
        a.fill(1);
        const out = await written({ ring: copy }, size);
        expect(out.text).toBe(`{"ring":${expected}}`);
        expect(JSON.stringify({ ring: copy })).toBe(out.text);
        expect(Array.from(decodeFloat64(JSON.parse(out.text).ring))).toEqual(Array.from(Float64Array.from(xs)));
        expect(Array.from(decodeFloat64(copy))).toEqual(Array.from(Float64Array.from(xs)));
      }),
      { numRuns: 60 },
    );
  });

  it('writes captured request ids as the JSON array of the ids given, for every packing (UUIDs, short, escaped, long)', async () => {
    const hex = fc.constantFrom(...'0123456789abcdef');
    const uuid = fc.array(hex, { minLength: 32, maxLength: 32 }).map((h) => {
      const s = h.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    });
    const id = fc.oneof(uuid, uuid.map((u) => u.toUpperCase()), fc.string({ maxLength: 16 }), fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u00e9', '\u00ff', '\u0001', '\u0100'), maxLength: 16 }), fc.string({ minLength: 17, maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(id, { maxLength: 300 }), fc.constantFrom(16, 64, 4096), async (ids, size) => {
        const table = new IdTable(ids.length || 1);
        ids.forEach((x, row) => table.insert(x, row));
        const order = Int32Array.from(ids.keys()).reverse();
        const captured = table.capture(order);
        const expected = [...ids].reverse();
        expect((await written(captured, size)).text).toBe(JSON.stringify(expected));
        expect(captured.toJSON()).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('writes a cached value as JSON.stringify of it at every write, from bytes built once', async () => {
    const profile = { rows: 3, features: { x: { type: 'numeric', sample: Array.from({ length: 5000 }, (_, i) => i / 7), name: 'é"\\' } } };
    const cached = new CachedJson(profile);
    const state = { models: [{ profile: cached, windows: encodeTyped(Float64Array.of(1, 2)) }] };
    const first = await written(state, 100);
    expect(first.text).toBe(JSON.stringify({ models: [{ profile, windows: Buffer.from(Float64Array.of(1, 2).buffer).toString('base64') }] }));
    expect((await written(state, 1 << 20)).text).toBe(first.text);
    expect(cachedValue(cached)).toBe(profile);
    expect(cachedValue(profile)).toBe(profile);
  });

  it('writes a state that fits its buffer without a promise, and a larger one with a wait per full buffer', async () => {
    const state = { features: Array.from({ length: 200 }, (_, i) => ({ name: `f${i}`, bins: [i, i + 1], ring: encodeTyped(Float64Array.of(i, -i)), note: 'n'.repeat(300) })) };
    let sinks = 0;
    // Never yielding to I/O (a cold run may take more than the 4 ms step): what waits is the sink alone.
    const w = new JsonChunkWriter(async () => void sinks++, 1 << 20, undefined, Infinity);
    expect(w.value(state)).toBeUndefined();
    expect(sinks).toBe(0);
    const parts: Buffer[] = [];
    const small = new JsonChunkWriter(async (chunk) => void parts.push(Buffer.from(chunk)), 4096, undefined, Infinity);
    const pending = small.value(state);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    await small.flush();
    expect(Buffer.concat(parts).toString()).toBe(JSON.stringify(state));
    expect(parts.length).toBeGreaterThan(JSON.stringify(state).length / 4096 - 1);
  });

  it('yields to I/O during a long synchronous walk, so a scrape is answered while a large state is written', async () => {
    // ~12 MB of small members in a 64 MiB buffer: nothing waits for the sink, the walk takes well over 4 ms.
    // Walked member by member (rows ≤ 1,024) and stringified a slice at a time (longer rows).
    for (const rows of [1000, 40_000]) {
      const state = { rows: Array.from({ length: rows }, (_, i) => ({ i, a: Array.from({ length: 600_000 / rows }, (_, k) => ({ k, v: k / 3 })) })) };
      const order: string[] = [];
      setImmediate(() => order.push('immediate'));
      const parts: Buffer[] = [];
      const w = new JsonChunkWriter(async (chunk) => void parts.push(Buffer.from(chunk)), 64 << 20);
      await w.value(state);
      order.push('written');
      await w.flush();
      expect(order).toEqual(['immediate', 'written']);
      expect(Buffer.concat(parts).toString()).toBe(JSON.stringify(state));
    }
  });

  it('writes keys of every shape: longer than the buffer, past the plain-copy length, escaped and non-ASCII, numeric', async () => {
    const value = {
      ['k'.repeat(5000)]: 1,
      ['p'.repeat(65)]: [2, { ['q'.repeat(64)]: 'v'.repeat(300) }],
      'quote"back\\slash\n': null,
      'é😀\u2028': { '': 3 },
      '10': 'ten',
      plain: { nested: [{ a: 1 }, { b: undefined, c: () => 1 }] },
    };
    for (const size of [8, 64, 4096]) expect((await written(value, size)).text).toBe(JSON.stringify(value));
  });

  it('refuses a buffer too small for a base64 group', () => {
    expect(() => new JsonChunkWriter(async () => undefined, 3)).toThrow(/at least 4/);
  });
});
