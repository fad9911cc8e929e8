/**
 * A skipped line is counted and a sample of it is logged with where it came from, rate-limited per
 * source and reason on an injected clock; every reason's counter exists from the start.
 */
import { describe, expect, it } from 'vitest';
import { formatSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { createRecordMapper } from '../../src/records/mapper.js';
import { RecordStream } from '../../src/records/record-stream.js';
import { SkippedLineLog } from '../../src/records/skipped-lines.js';
import { LINE_ERROR_REASONS, SourceStatsTable } from '../../src/records/source-stats.js';
import { logSink } from '../helpers/log-sink.js';

function stream() {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = logSink('warn');
  const stats = new SourceStatsTable();
  const mapper = createRecordMapper(formatSchema.parse({}), { defaults: { model: 'm', version: 'v' }, pairing: { ttl: 60, max_pending: 10 }, clock });
  const s = new RecordStream(mapper, 'records', { record: () => undefined, label: () => undefined }, stats, new SkippedLineLog(sink.logger, clock, 10_000));
  return { clock, sink, stats, s };
}

describe('skipped lines', () => {
  it('logs reason, file and offset and the first 200 characters, once per interval per reason', () => {
    const { clock, sink, stats, s } = stream();
    const at = (offset: number) => ({ origin: () => ({ file: '/var/log/server.log', offset }) });
    s.line('{"features": {"a": 1}', 'requests', at(0));
    s.line(`{"id": "${'x'.repeat(300)}"}`, 'requests', at(22));
    s.line('{torn', 'requests', at(340));
    expect(sink.lines.map((l) => [l.msg, l.reason, l.file, l.offset])).toEqual([
      ['line skipped: invalid_json', 'invalid_json', '/var/log/server.log', 0],
      ['line skipped: missing_features', 'missing_features', '/var/log/server.log', 22],
    ]);
    expect(sink.lines[0].sample).toBe('{"features": {"a": 1}');
    expect(sink.lines[1].sample).toBe(`{"id": "${'x'.repeat(192)}…`);
    clock.advance(10_000);
    s.line('{torn again', 'requests', at(346));
    expect(sink.lines.at(-1)).toMatchObject({ reason: 'invalid_json', offset: 346, suppressed: 1, sample: '{torn again' });
    expect(stats.for('requests').errors.get('invalid_json')).toBe(3);
  });

  it('every reason is counted from 0 for a source that has seen no line', () => {
    const stats = new SourceStatsTable();
    expect([...stats.for('labels').errors]).toEqual(LINE_ERROR_REASONS.map((r) => [r, 0]));
    expect(LINE_ERROR_REASONS).toEqual(expect.arrayContaining(['invalid_json', 'missing_features', 'bad_timestamp', 'too_long']));
  });
});
