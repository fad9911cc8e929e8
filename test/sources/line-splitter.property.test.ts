/**
 * However the bytes are cut into reads, the splitter emits the same lines, drops and offsets as a
 * line-by-line reference: whole reads are checked as UTF-8 in one call (line-splitter.ts), and a
 * read holding one invalid line must still deliver every valid line around it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/sources/line-splitter.js';

const MAX = 24;

/** The splitter's contract, one complete line at a time. */
function reference(bytes: Buffer): { events: string[]; committed: number } {
  const events: string[] = [];
  let committed = 0;
  for (let start = 0; ; ) {
    const lf = bytes.indexOf(0x0a, start);
    if (lf === -1) break;
    let line = bytes.subarray(start, lf);
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    if (line.length > MAX) events.push('drop:too_long');
    else if (line.length > 0) {
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      let decoded: string | undefined;
      try {
        decoded = text.decode(line);
      } catch {
        events.push('drop:invalid_utf8');
      }
      if (decoded !== undefined) {
        if (decoded.startsWith('\uFEFF')) decoded = decoded.slice(1);
        if (decoded.length > 0) events.push(`line:${decoded}`);
      }
    }
    committed = lf + 1;
    start = lf + 1;
  }
  return { events, committed };
}

/** The splitter's events for these reads; `asBytes`: to a handler that takes lines as bytes (decoded here, before the read is reused). */
function split(bytes: Buffer, cuts: number[], asBytes = false): { events: string[]; committed: number } {
  const events: string[] = [];
  const s = new LineSplitter(MAX, {
    line: (t) => events.push(`line:${t}`),
    bytes: asBytes ? (b, start, end) => events.push(`line:${b.toString('utf8', start, end)}`) : undefined,
    dropped: (r) => events.push(`drop:${r}`),
  });
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    s.push(bytes.subarray(from, cut));
    from = cut;
  }
  return { events, committed: s.committedBytes };
}

/** Lines of ASCII, multi-byte characters, CRs, BOMs and invalid bytes, some longer than MAX. */
const piece = fc.oneof(
  fc.constantFrom('a', 'bc', '{"k":1}', 'é', '€', '😀', '\r', '\uFEFF', ' ').map((t) => Buffer.from(t, 'utf8')),
  fc.constantFrom(0xff, 0xc3, 0x80, 0xed, 0xa0).map((byte) => Buffer.from([byte])),
);
const line = fc.array(piece, { maxLength: 12 }).map((parts) => Buffer.concat([...parts, Buffer.from('\n')]));
const log = fc.tuple(fc.array(line, { maxLength: 12 }), fc.array(piece, { maxLength: 3 })).map(([lines, tail]) => Buffer.concat([...lines, ...tail]));

describe('LineSplitter, any cut into reads', () => {
  it('emits what the line-by-line reference emits, in order, with the same committed offset', () => {
    fc.assert(
      fc.property(log, fc.array(fc.nat({ max: 400 }), { maxLength: 8 }), fc.boolean(), (bytes, cuts, asBytes) => {
        expect(split(bytes, cuts, asBytes)).toEqual(reference(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('one read holding an invalid line still delivers the valid lines around it', () => {
    const bytes = Buffer.concat([Buffer.from('one\n'), Buffer.from([0xff, 0x0a]), Buffer.from('thr€e\r\n')]);
    expect(split(bytes, []).events).toEqual(['line:one', 'drop:invalid_utf8', 'line:thr€e']);
    expect(split(bytes, [], true).events).toEqual(['line:one', 'drop:invalid_utf8', 'line:thr€e']);
  });

  it('hands a handler that takes bytes each line where it lies in the read, without its terminator or byte-order mark', () => {
    const read = Buffer.from('\uFEFF{"a":1}\r\n\uFEFF\n{"b":2}\n');
    const seen: [Buffer, number, number][] = [];
    const s = new LineSplitter(MAX, { line: () => expect.unreachable(), bytes: (b, start, end) => seen.push([b, start, end]), dropped: () => expect.unreachable() });
    s.push(read);
    // The read itself, not a copy: the lines are not decoded or copied. A line of a BOM alone is no line.
    expect(seen.map(([b]) => b.buffer === read.buffer)).toEqual([true, true]);
    expect(seen.map(([b, start, end]) => b.toString('utf8', start, end))).toEqual(['{"a":1}', '{"b":2}']);
    expect(s.committedBytes).toBe(read.length);
  });
});
