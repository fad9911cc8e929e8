import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonChunkWriter } from '../../src/core/json-chunk-writer.js';

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
});
