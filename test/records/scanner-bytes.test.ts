/**
 * The scanner over a line's bytes where it lies in a read buffer (mapBytes): the same records as
 * JSON.parse + map of the decoded line, whatever the bytes before and after the line are, for
 * UTF-8 text, JSON escapes (surrogate pairs, lone surrogates, \" …), hostile strings and number
 * spellings at and past the fast path's limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../src/records/model-record.js';
import { LineScanner } from '../../src/records/scanner.js';
import { expectBytesAsParsed, harness } from './mapper-harness.js';
import { escapeSome, hostileString, numberText, record, reformat } from './scanner-arbitraries.js';

type Mapper = ReturnType<typeof harness>['mapper'];

/** The line's UTF-8 bytes between `before` and `after` in one buffer, and where the line is. */
function embed(line: string, before: string, after: Uint8Array): { bytes: Buffer; start: number; end: number } {
  const head = Buffer.from(before, 'utf8');
  const body = Buffer.from(line, 'utf8');
  return { bytes: Buffer.concat([head, body, after]), start: head.length, end: head.length + body.length };
}

/** mapBytes of the embedded line against JSON.parse + map of the line; true when the scanner took it. */
function expectSameBytes(mapper: Mapper, text: string, before = '', after: Uint8Array = Buffer.from('\n')): boolean {
  const { bytes, start, end } = embed(text, before, after);
  return expectBytesAsParsed(mapper, bytes, start, end);
}

/** What may follow a line in a read buffer: its terminator, the next line, or anything (a caller's buffer). */
const after = fc.oneof(
  fc.constantFrom('\n', '\r\n', '', '}', '}}', '"}', '0}', ' }', ',"x":1}', 'e5}', 'ue}', '\n{"model":"m"}\n').map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 6 }),
);
const before = fc.constantFrom('', '\n', '{"model":"x"}\n', 'é', '"', '{');

const hostileRecord = fc.record(
  {
    timestamp: fc.oneof(hostileString, fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString())),
    request_id: hostileString,
    model: hostileString,
    model_version: hostileString,
    features: fc.dictionary(fc.oneof(hostileString, fc.constantFrom('a', 'é', '😀')), fc.oneof(hostileString, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)), { maxKeys: 5 }),
    prediction: fc.oneof(hostileString, fc.double({ noNaN: true, noDefaultInfinity: true })),
    error: hostileString,
    [`\u00e9`]: hostileString,
  },
  { requiredKeys: ['features'] },
);

describe('LineScanner over bytes in a read buffer', () => {
  it('gives exactly the records of JSON.parse + mapping for random records, whatever surrounds the line', () => {
    const { mapper } = harness({});
    let scanned = 0;
    fc.assert(
      fc.property(record, fc.nat(), before, after, (r, seed, head, tail) => {
        if (expectSameBytes(mapper, reformat(JSON.stringify(r), seed), head, tail)) scanned++;
      }),
      { numRuns: 3000 },
    );
    expect(scanned).toBeGreaterThan(1500);
  });

  it('decodes UTF-8, escapes, surrogate pairs, lone surrogates and hostile strings exactly as JSON.parse', () => {
    const { mapper } = harness({});
    let scanned = 0;
    fc.assert(
      fc.property(hostileRecord, fc.nat(), after, (r, seed, tail) => {
        if (expectSameBytes(mapper, escapeSome(JSON.stringify(r), seed), '', tail)) scanned++;
      }),
      { numRuns: 3000 },
    );
    expect(scanned).toBeGreaterThan(2500);
  });

  it('reads every number spelling as JSON.parse does (long mantissas, exponents, the fast path and past it)', () => {
    const { mapper } = harness({});
    fc.assert(
      fc.property(numberText, numberText, fc.constantFrom('\n', '', '5', 'e1', '.5'), (x, y, tail) => {
        const line = `{"features":{"x":${x},"y":"c"},"latency_ms":${y},"timestamp":1}`;
        expect(expectSameBytes(mapper, line, '', Buffer.from(tail)), line).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the event time from its bytes exactly as parseTimestamp reads the decoded string, canonical or not', () => {
    const { mapper } = harness({});
    // Canonical UTC spellings with any fraction length, and near misses: a digit or separator
    // changed (also to a non-ASCII character or an escape), a zone, a space, 13 fraction digits.
    const canonical = fc
      .tuple(fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), fc.integer({ min: 0, max: 13 }), fc.nat())
      .map(([d, digits, f]) => `${d.toISOString().slice(0, 19)}${digits === 0 ? '' : `.${String(f).padStart(13, '0').slice(-digits)}`}Z`);
    const edited = fc
      .tuple(canonical, fc.nat(), fc.constantFrom('0', '9', '3', '-', ':', 'T', 't', ' ', '.', 'Z', 'z', '+01:00', 'é', '\\u0032', '\\/', ''))
      .map(([t, at, c]) => t.slice(0, at % t.length) + c + t.slice((at % t.length) + 1));
    fc.assert(
      fc.property(fc.oneof(canonical, edited, fc.constantFrom('2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T23:59:60Z', '0099-12-31T23:59:59Z', '1969-12-31T23:59:59.999Z')), (t) => {
        // The edits may hold a JSON escape, so the text is spliced in as written (not JSON.stringify'd).
        const line = `{"timestamp":"${t}","features":{"x":1}}`;
        expectSameBytes(mapper, line);
      }),
      { numRuns: 4000 },
    );
  });

  it('never accepts what JSON.parse rejects: random cuts and edits of valid lines, at any offset', () => {
    const { mapper } = harness({});
    fc.assert(
      fc.property(hostileRecord, fc.nat(), fc.nat(), fc.constantFrom('', '"', '}', ',', ':', '\\', '\u0001', 'x', '01', '-', '.', 'e', ' ', '\\u12', '\\ud800', 'é'), after, (r, at, len, insert, tail) => {
        const line = JSON.stringify(r);
        const cut = at % (line.length + 1);
        expectSameBytes(mapper, line.slice(0, cut) + insert + line.slice(cut + (len % 3)), '{', tail);
      }),
      { numRuns: 3000 },
    );
  });

  it('never takes bytes after the line: a line cut short declines even when the buffer goes on to complete it', () => {
    const scanner = new LineScanner(['model', 'features'], 1);
    const whole = '{"model":"m","features":{"x":1.5,"c":"dé"}}';
    for (let cut = 0; cut < Buffer.byteLength(whole); cut++) {
      const b = Buffer.from(whole);
      expect(scanner.scanBytes(b, 0, cut), `cut at ${cut}`).toBe(false);
    }
    expect(scanner.scanBytes(Buffer.from(`${whole}\r\n`), 0, Buffer.byteLength(whole))).toBe(true);
    expect(scanner.row).toEqual({ x: 1.5, c: 'dé' });
  });

  it('gives the lent record the line\'s text for extra while it is delivered, and refuses it after the scanner moved on', () => {
    const { mapper } = harness({});
    const line = (x: number) => `{"features":{"x":${x},"c":"ké"},"timestamp":1,"tokens":${x}}`;
    const { bytes, start, end } = embed(line(1), '', Buffer.from('\n'));
    mapper.mapBytes!(bytes, start, end, [], true);
    const out: ModelRecord[] = [];
    mapper.mapBytes!(bytes, start, end, out, true);
    expect(out[0].columns).toBeDefined();
    expect(out[0].extra).toEqual(JSON.parse(line(1)));
    const next = embed(line(2), '', Buffer.from('\n'));
    const again: ModelRecord[] = [];
    mapper.mapBytes!(next.bytes, next.start, next.end, again, true);
    expect(again[0]).toBe(out[0]);
    // The read buffer is overwritten by the next read: a retained copy holds its own text.
    const kept = again[0].retain!();
    next.bytes.fill(0x20);
    expect(kept.extra).toEqual(JSON.parse(line(2)));
    expect(kept.features).toEqual({ x: 2, c: 'ké' });
    const third = embed(line(3), '', Buffer.from('\n'));
    mapper.mapBytes!(third.bytes, third.start, third.end, [], true);
    expect(mapper.mapBytes!(Buffer.from('{"features":1,"features":2}'), 0, 27, [], true)).toBeUndefined();
    expect(() => again[0].extra).toThrow(/retain/);
    expect(() => again[0].features).toThrow(/retain/);
  });
});

describe('repeated strings recognised by their bytes (StringInterner.heldEnd)', () => {
  // Values sharing their first bytes, empty and one-byte strings, UTF-8, strings JSON must escape.
  const value = fc.constantFrom('ab', 'abc', 'abd', 'a', '', 'é', 'éa', 'a"b', 'a\\b', 'category_1', 'category_2', 'bench-model', '😀');
  const line = fc.record({ model: value, model_version: value, timestamp: fc.constant(1), request_id: value, features: fc.record({ c0: value, c1: value, n: fc.constant(1) }) });
  // What may follow the line in the buffer: the rest of a held string and its quote, as if the line were cut.
  const tail = fc.oneof(after, fc.constantFrom('c"}\n', 'd"}\n', '_1"}\n', 'b"}\n').map((s) => Buffer.from(s)));

  it('gives JSON.parse\'s strings over runs of lines from a small set, spelled raw or escaped, cut anywhere', () => {
    // One mapper for every run: what the interner holds carries over from line to line.
    const { mapper } = harness({});
    let scanned = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(line, fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 8 }), tail, (lines, t) => {
        for (const [r, seed, cut, cutIt] of lines) {
          const text = escapeSome(JSON.stringify(r), seed);
          // Cut lines end inside a string or a key: the bytes after them are the tail's.
          const taken = cutIt ? text.slice(0, cut % (text.length + 1)) : text;
          if (expectSameBytes(mapper, taken, '', cutIt ? t : Buffer.from('\n'))) scanned++;
        }
      }),
      { numRuns: 1500 },
    );
    expect(scanned).toBeGreaterThan(1500);
  });
});
