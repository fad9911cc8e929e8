/**
 * Record time is untrusted: a record dated tomorrow, 1e300, negative or NaN never moves a time
 * window; it is taken as now and counted. A clock stepping backwards keeps the windows counting.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RecordTimeGuard } from '../../src/analyzers/record-time.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { buildPipeline, registerPipelineSelfMetrics } from '../../src/main.js';
import { sample } from './quality-helpers.js';

const T0 = Date.UTC(2026, 5, 1);
const DAY = 86_400;

describe('RecordTimeGuard', () => {
  const guard = (clock = new ManualClock(T0)) => new RecordTimeGuard(clock, { maxFutureSkew: 300, maxAge: 10 * 365 * DAY });

  it.each([
    ['+1 day', T0 / 1000 + DAY, 'future'],
    ['1e300', 1e300, 'future'],
    ['Infinity', Infinity, 'invalid'],
    ['negative', -5, 'invalid'],
    ['NaN', NaN, 'invalid'],
    ['1970', 5, 'too_old'],
  ] as const)('%s is taken as now and counted (%#)', (_name, t, reason) => {
    const g = guard();
    expect(g.check(t)).toBe(T0 / 1000);
    expect(g.clamped[reason]).toBe(1);
  });

  it('a little ahead is taken as now without counting; the past stays as it is', () => {
    const g = guard();
    expect(g.check(T0 / 1000 + 60)).toBe(T0 / 1000);
    expect(g.check(T0 / 1000 - 3600)).toBe(T0 / 1000 - 3600);
    expect(g.clamped).toEqual({ future: 0, too_old: 0, invalid: 0 });
  });

  it('absorbs a backward clock step into one monotonic timeline, and keeps it across a restart', () => {
    const clock = new ManualClock(T0);
    const g = guard(clock);
    expect(g.check(T0 / 1000)).toBe(T0 / 1000);
    clock.set(T0 - 3_600_000);
    // The server's clock stepped back with ours: its records map onto the same timeline.
    expect(g.now()).toBe(T0);
    expect(g.check(T0 / 1000 - 3600)).toBe(T0 / 1000);
    clock.advance(10_000);
    expect(g.check(T0 / 1000 - 3590)).toBe(T0 / 1000 + 10);
    const restarted = guard(clock);
    restarted.restore(JSON.parse(JSON.stringify(g.snapshot())));
    expect(restarted.check(T0 / 1000 - 3590)).toBe(T0 / 1000 + 10);
  });
});

describe('time windows and hostile record times', () => {
  function pipeline(clock: ManualClock) {
    const config = configSchema.parse({
      reference: { warmup_records: 100 },
      drift: { windows: [{ duration: '5m' }], min_samples: 10 },
      resources: { enabled: false },
    });
    const p = buildPipeline({ config, logger: pino({ level: 'silent' }), clock, processMetrics: false });
    registerPipelineSelfMetrics(p, []);
    const stream = p.newStream(config.ingest.format, 'records');
    const send = (t: unknown, x: number) => stream.line(JSON.stringify({ timestamp: t, model: 'm', model_version: 'v', features: { x } }), 'src');
    const samples = async () => {
      await p.tick();
      const text = await p.exposition.render();
      return { window: sample(text, 'modelwatch_feature_window_samples', { model: 'm', version: 'v', feature: 'x', window: '5m' }), text };
    };
    return { send, samples };
  }

  it.each([
    ['+1 day', (now: number) => now / 1000 + DAY],
    ['1e300', () => 1e300],
    ['a date string a year ahead', (now: number) => new Date(now + 365 * DAY * 1000).toISOString()],
  ])('one record dated %s does not empty the window', async (_name, when) => {
    const clock = new ManualClock(T0);
    const { send, samples } = pipeline(clock);
    // Warm-up (the reference), then 100 records over the next 100 s.
    for (let i = 0; i < 100; i++) send(T0 / 1000 - 200 + i, i % 10);
    for (let i = 0; i < 100; i++) {
      clock.set(T0 + i * 1000);
      send(T0 / 1000 + i, i % 10);
    }
    send(when(clock.now()), 5);
    for (let i = 100; i < 150; i++) {
      clock.set(T0 + i * 1000);
      send(T0 / 1000 + i, i % 10);
    }
    const { window, text } = await samples();
    expect(window).toBe(151);
    expect(sample(text, 'modelwatch_record_timestamps_clamped_total', { reason: 'future' })).toBe(1);
  });

  it('negative and unparsable times are counted where they are, the window keeps counting', async () => {
    const clock = new ManualClock(T0);
    const { send, samples } = pipeline(clock);
    for (let i = 0; i < 100; i++) send(T0 / 1000 - 200 + i, i % 10);
    for (let i = 0; i < 20; i++) send(T0 / 1000, i % 10);
    send(-5, 1);
    send('not a time', 1);
    const { window, text } = await samples();
    // A time that does not parse is a mapping error (bad_timestamp), not a record.
    expect(window).toBe(20);
    expect(sample(text, 'modelwatch_log_line_errors_total', { source: 'src', reason: 'bad_timestamp' })).toBe(2);
  });

  it('a server clock stepping back an hour: records at the new time keep filling the window', async () => {
    const clock = new ManualClock(T0);
    const { send, samples } = pipeline(clock);
    for (let i = 0; i < 100; i++) send(T0 / 1000 - 200 + i, i % 10);
    for (let i = 0; i < 50; i++) {
      clock.set(T0 + i * 1000);
      send(T0 / 1000 + i, i % 10);
    }
    expect((await samples()).window).toBe(50);
    // The host clock steps back one hour; the server logs the stepped-back time.
    for (let i = 0; i < 50; i++) {
      clock.set(T0 - 3_600_000 + (50 + i) * 1000);
      send(T0 / 1000 - 3600 + 50 + i, i % 10);
    }
    expect((await samples()).window).toBe(100);
  });
});
