/**
 * A lent record's request id (core/id-bytes.ts): a plain ASCII id is left in the line's bytes
 * (requestIdBytes, each line a new serial) and decoded only when requestId is read; an escaped,
 * non-ASCII or empty id, or one logged as a number, is decoded as before and has no bytes. Either
 * way requestId is what JSON.parse + mapping gives, and a retained copy keeps it as a string.
 */
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../src/records/model-record.js';
import { harness } from './mapper-harness.js';

/** A mapper that has seen the features' keys once (a lent record reads the typed columns of keys seen before). */
function primed(): ReturnType<typeof harness>['mapper'] {
  const { mapper } = harness({});
  const bytes = Buffer.from('{"features":{"x":0},"timestamp":1}');
  mapper.mapBytes!(bytes, 0, bytes.length, [], true);
  return mapper;
}

function lend(mapper: ReturnType<typeof harness>['mapper'], line: string): ModelRecord {
  const bytes = Buffer.from(`xx${line}\n`, 'utf8');
  const out: ModelRecord[] = [];
  mapper.mapBytes!(bytes, 2, bytes.length - 1, out, true);
  expect(out).toHaveLength(1);
  return out[0];
}

describe('a lent record\'s request id', () => {
  it('is left in the line\'s bytes when plain ASCII, and decoded as JSON.parse reads it otherwise', () => {
    const mapper = primed();
    // The id as the line spells it (JSON text), and whether it is plain.
    const cases: [string, boolean][] = [
      ['"req-00000001"', true],
      ['"f81d4fae-7dec-11d0-a765-00a0c91e6bf6"', true],
      [JSON.stringify('x'.repeat(1 << 20)), true],
      [JSON.stringify('a"b'), false],
      [JSON.stringify('a\\b'), false],
      ['"\\u0041"', false],
      ['"é"', false],
      [JSON.stringify('\u{1F600}'), false],
      ['""', false],
      ['42', false],
    ];
    const serials = new Set<number>();
    // Twice the same lines: a new serial every line, even for the same bytes at the same place.
    for (let pass = 0; pass < 2; pass++) {
      for (const [id, plain] of cases) {
        const line = `{"request_id":${id},"features":{"x":1},"timestamp":1}`;
        const parsed = JSON.parse(line).request_id;
        const expected = parsed === '' ? undefined : String(parsed);
        const r = lend(mapper, line);
        expect(r.requestIdBytes !== undefined, line.slice(0, 60)).toBe(plain);
        if (r.requestIdBytes) {
          const { bytes, start, end, serial } = r.requestIdBytes;
          expect(Buffer.from(bytes.subarray(start, end)).toString('latin1')).toBe(expected);
          expect(serials.has(serial)).toBe(false);
          serials.add(serial);
        }
        expect(r.requestId).toBe(expected);
        expect({ ...r }.requestId).toBe(expected);
        const kept = r.retain?.() ?? r;
        expect(kept.requestId).toBe(expected);
        expect(kept.requestIdBytes).toBeUndefined();
      }
    }
  });

  it('is decoded at once on a record that is not lent (features with keys not seen before)', () => {
    const { mapper } = harness({});
    const r = lend(mapper, '{"request_id":"req-1","features":{"x":1},"timestamp":1}');
    expect(r.columns).toBeUndefined();
    expect(r.requestIdBytes).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(r, 'requestId')?.value).toBe('req-1');
  });

  it('refuses a plain id\'s string after the scanner moved on (keep what retain() returns)', () => {
    const mapper = primed();
    const first = lend(mapper, '{"request_id":"r-1","features":{"x":1},"timestamp":1}');
    expect(first.requestIdBytes).toBeDefined();
    // The scanner takes another line (declined: the record is not lent again).
    expect(mapper.mapBytes!(Buffer.from('{"features":1,"features":2}'), 0, 27, [], true)).toBeUndefined();
    expect(() => first.requestId).toThrow(/retain/);
  });
});
