/**
 * A log read as bytes (splitter → RecordStream.lineBytes → the scanner over the read buffer, lent
 * records) delivers exactly what the same log read as decoded lines delivers without the scanner
 * (splitter → RecordStream.line → JSON.parse + map, records kept): the same records in the same order, the
 * same counts by reason, however the bytes are cut into reads. The log mixes records with hostile
 * strings and escapes, CRLF, byte-order marks, blank lines, invalid UTF-8, invalid JSON, lines the
 * scanner declines, non-objects and lines over max_line_bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../src/records/model-record.js';
import { RecordStream, type RecordConsumer } from '../../src/records/record-stream.js';
import { SourceStatsTable } from '../../src/records/source-stats.js';
import { LineSplitter } from '../../src/sources/line-splitter.js';
import { harness } from './mapper-harness.js';
import { escapeSome, hostileString, record, reformat } from './scanner-arbitraries.js';

const MAX_LINE_BYTES = 600;

/** What a consumer can read of a record during its delivery, as plain data. */
function snapshot(r: ModelRecord): Record<string, unknown> {
  const fields = Object.fromEntries(Object.entries({ ...r }).filter(([k, v]) => v !== undefined && k !== 'columns'));
  return { ...fields, features: { ...r.features }, featureKeys: Object.keys(r.features), extra: r.extra };
}

function read(log: Buffer, cuts: number[], asBytes: boolean) {
  const { mapper } = harness({});
  const delivered: Record<string, unknown>[] = [];
  const consumer: RecordConsumer = {
    borrowsRecords: asBytes,
    record: (r) => delivered.push(snapshot(r)),
    label: () => undefined,
  };
  const stats = new SourceStatsTable();
  // The reference reads no line with the scanner: JSON.parse + map only.
  const stream = new RecordStream(asBytes ? mapper : { map: mapper.map, mapLabel: mapper.mapLabel }, 'records', consumer, stats);
  const splitter = new LineSplitter(MAX_LINE_BYTES, {
    line: (text) => stream.line(text, 'app'),
    bytes: asBytes ? (bytes, start, end) => stream.lineBytes(bytes, start, end, 'app') : undefined,
    dropped: (reason) => stream.dropped(reason, 'app'),
  });
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (log.length + 1)))].sort((a, b) => a - b).concat(log.length)) {
    // Each read in a buffer of its own that is overwritten once pushed, as the tailer's is.
    const chunk = Buffer.from(log.subarray(from, cut));
    splitter.push(chunk);
    chunk.fill(0x7b);
    from = cut;
  }
  const s = stats.for('app');
  return { delivered, lines: s.lines, records: s.records, errors: Object.fromEntries(s.errors), committed: splitter.committedBytes };
}

const hostileRecord = fc.record(
  {
    timestamp: fc.oneof(hostileString, fc.constant('2026-01-01T00:00:00.000Z')),
    request_id: hostileString,
    model: hostileString,
    features: fc.dictionary(fc.oneof(hostileString, fc.constantFrom('a', 'é')), fc.oneof(hostileString, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)), { maxKeys: 4 }),
    latency_ms: fc.double({ min: 0, max: 1e6, noNaN: true }),
  },
  { requiredKeys: ['features'] },
);

/** One line of the log, with its terminator. */
const line = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(record, fc.nat()).map(([r, seed]) => reformat(JSON.stringify(r), seed)) },
  { weight: 6, arbitrary: fc.tuple(hostileRecord, fc.nat()).map(([r, seed]) => escapeSome(JSON.stringify(r), seed)) },
  // The same features line after line: typed columns and the lent record.
  { weight: 6, arbitrary: fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('a', 'b', 'é')).map(([x, c]) => JSON.stringify({ model: 'm', features: { x, c }, timestamp: 1 })) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '{', '{"features":{}', '[1]', '"x"', '1', 'null', '{"features":{"x":1,"x":2}}', '{"model":"a","model":"b","features":{}}', '\uFEFF{"features":{"y":1}}', '\uFEFF') },
  { weight: 1, arbitrary: fc.string({ minLength: MAX_LINE_BYTES, maxLength: MAX_LINE_BYTES + 40 }).map((pad) => JSON.stringify({ features: { x: 1 }, pad })) },
).chain((text) =>
  fc.tuple(fc.constantFrom('\n', '\r\n'), fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat() })).map(([end, broken]) => {
    const bytes = Buffer.from(text + end, 'utf8');
    // Now and then a byte that makes the line invalid UTF-8 (a lone continuation byte, a truncated sequence).
    if (broken !== undefined && bytes.length > 1) bytes[broken % (bytes.length - 1)] = broken % 2 ? 0x80 : 0xc3;
    return bytes;
  }),
);

describe('a log read as bytes', () => {
  it('delivers the records and counts of the same log read as decoded lines, however it is cut into reads', () => {
    let records = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const log = Buffer.concat(lines);
        const asBytes = read(log, cuts, true);
        expect(asBytes).toEqual(read(log, [], false));
        records += asBytes.records;
      }),
      { numRuns: 600 },
    );
    expect(records).toBeGreaterThan(1000);
  });
});
