import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import { ANALYZERS } from '../../src/analyzers/index.js';
import { configSchema, formatSchema } from '../../src/config/schema.js';
import { ManualClock, type Clock } from '../../src/core/clock.js';
import { createRecordMapper } from '../../src/records/mapper.js';
import { RecordStream } from '../../src/records/record-stream.js';
import { SourceStatsTable } from '../../src/records/source-stats.js';

const T0 = 1_780_000_000;

/** A ManualClock that counts its readings. */
class CountingClock implements Clock {
  reads = 0;
  constructor(readonly clock: ManualClock) {}
  now(): number {
    this.reads++;
    return this.clock.now();
  }
}

function line(i: number, t: number): string {
  return JSON.stringify({ timestamp: t, request_id: `r${i}`, model: 'm', model_version: 'v', features: { a: i % 10, c: i % 3 ? 'x' : 'y' }, prediction: i % 2, latency_ms: 5 });
}

/** Every analyzer behind a record stream, the clock they read counted; a manual clock the test moves. */
function countedPipeline(): { manual: ManualClock; clock: CountingClock; set: AnalyzerSet; stream: RecordStream } {
    const manual = new ManualClock(T0 * 1000);
    const clock = new CountingClock(manual);
    const config = configSchema.parse({ reference: { warmup_records: 50 }, drift: { windows: [{ count: 100 }, { duration: '1h' }] } });
    const set = new AnalyzerSet(ANALYZERS, { config, registry: new Registry(), clock, logger: pino({ level: 'silent' }), oneShot: true });
    const mapper = createRecordMapper(formatSchema.parse({}), { defaults: { model: 'm', version: 'v' }, pairing: { ttl: 60, max_pending: 100 }, clock: manual });
    const stream = new RecordStream(mapper, 'records', set, new SourceStatsTable());
    return { manual, clock, set, stream };
}

describe('one clock reading per delivery: a record, or the lines of one read', () => {
  it('serves the time check and every analyzer, and clamps as a reading of its own would', async () => {
    const { manual, clock, set, stream } = countedPipeline();
    for (let i = 0; i < 500; i++) stream.line(line(i, T0 - 1000 + i), 'log');
    // Traffic, drift, data quality, model quality (series and label join) and the time check read it: once.
    expect(clock.reads).toBe(500);
    // Ahead of the clock: taken as the reading; far ahead: counted as well.
    stream.line(line(500, T0 + 60), 'log');
    stream.line(line(501, T0 + 86_400), 'log');
    expect(set.time.clamped.future).toBe(1);
    expect((set.snapshot().data_quality as { newestEvent: number }).newestEvent).toBe(T0);
    // Outside a delivery, the clock itself.
    manual.advance(5000);
    expect(clock.reads).toBe(502);
    await set.tick(clock.now());
    expect(clock.reads).toBeGreaterThan(502);
  });
  it('takes one reading for the lines of one read (they arrived together), a new one for the next read', () => {
    const { manual, clock, set, stream } = countedPipeline();
    stream.read(() => {
      for (let i = 0; i < 500; i++) stream.line(line(i, T0 - 1000 + i), 'log');
      // The clock moves while the read is delivered: its lines still arrived at the read's instant,
      // so a record 30 s ahead of that instant is taken as it (not as its own time, 30 s behind the clock).
      manual.advance(60_000);
      stream.line(line(500, T0 + 30), 'log');
    });
    expect(clock.reads).toBe(1);
    expect((set.snapshot().data_quality as { newestEvent: number }).newestEvent).toBe(T0);
    // The next read: a reading of its own.
    stream.read(() => stream.line(line(501, T0 + 30), 'log'));
    expect(clock.reads).toBe(2);
    expect((set.snapshot().data_quality as { newestEvent: number }).newestEvent).toBe(T0 + 30);
    // A line outside any read (replay, HTTP ingest): its own reading, as before.
    stream.line(line(502, T0 + 40), 'log');
    expect(clock.reads).toBe(3);
    expect(set.time.clamped.future).toBe(0);
  });
});
