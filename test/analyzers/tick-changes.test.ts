/**
 * A tick says whether it changed anything a metric shows (AnalyzerSet.tick): an idle tick that
 * recomputed nothing new says false, so the checkpoint timer publishes no capture after it. Checked
 * against the capture itself: after a tick that said false, every family a capture shows equals
 * the one before the tick (fails when an analyzer says false while one of its families moved).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import type { CapturedFamily } from '../../src/exposition/exposition.js';
import { sameFamily } from '../../src/exposition/unchanged-families.js';
import { buildPipeline, registerPipelineSelfMetrics } from '../../src/main.js';

const T0 = Date.parse('2024-05-14T09:00:00Z');

function changedFamilies(a: CapturedFamily[], b: CapturedFamily[]): string[] {
  const before = new Map(b.map((f) => [f.name, f]));
  return a.filter((f) => !f.live && !(before.has(f.name) && sameFamily(f, before.get(f.name)!))).map((f) => f.name);
}

// Each analyzer alone (with traffic, always on), then all: one that said false while its families moved would fail its own case.
const ANALYZER_CONFIGS = {
  drift: { quality: { enabled: false } },
  'data quality': { drift: { enabled: false }, quality: { cbpe: { enabled: false } } },
  'model quality': { drift: { enabled: false }, quality: { data_quality: { enabled: false } } },
  all: {},
} as const;

describe('analyzer ticks', () => {
  it.each(Object.entries(ANALYZER_CONFIGS))('say false when idle, true when a window lost records or a series went stale, and the capture agrees (%s)', async (_, only) => {
    let now = T0;
    const drift = { windows: [{ count: 50 }, { duration: '1m' }], min_samples: 5, ...('drift' in only ? only.drift : {}) };
    const quality = { windows: [{ count: 50 }, { duration: '1m' }], min_samples: 5, ...('quality' in only ? only.quality : {}) };
    const config = configSchema.parse({
      sources: [{ type: 'stdin' }],
      reference: { warmup_records: 20 },
      drift,
      quality,
      metrics: { stale_series_after: 600 },
      resources: { enabled: false },
    });
    const p = buildPipeline({ config, logger: pino({ level: 'silent' }), clock: { now: () => now } });
    registerPipelineSelfMetrics(p, []);
    const stream = p.newStream(config.sources[0].format, 'records');
    for (let i = 0; i < 120; i++) {
      const timestamp = new Date(now).toISOString();
      stream.line(JSON.stringify({ timestamp, request_id: `r${i}`, model: 'm', model_version: 'v', features: { x: (i * 37) % 11, c: `k${i % 3}` }, prediction: i % 2, score: (i % 10) / 10, latency_ms: 5, status: 200 }), 'stdin');
      now += 100;
    }
    // Labels for most of them: model quality's joined windows fill.
    for (let i = 0; i < 100; i++) p.analyzers.label({ timestamp: now / 1000, requestId: `r${i}`, label: (i * 7) % 3 === 0 ? 1 : 0 });
    expect(await p.analyzers.tick(now)).toBe(true);
    const afterRecords = p.exposition.capture();
    // Nothing new: every window at the version it was computed from.
    now += 1000;
    expect(await p.analyzers.tick(now)).toBe(false);
    expect(changedFamilies(p.exposition.capture(), afterRecords)).toEqual([]);
    expect(await p.analyzers.tick(now)).toBe(false);

    // The 1 min windows lose their records with no new one: drift, data quality and model quality change.
    now += 90_000;
    expect(await p.analyzers.tick(now)).toBe(true);
    const aged = p.exposition.capture();
    expect(changedFamilies(aged, afterRecords).length).toBeGreaterThan(0);
    now += 1000;
    expect(await p.analyzers.tick(now)).toBe(false);
    expect(changedFamilies(p.exposition.capture(), aged)).toEqual([]);

    // Past metrics.stale_series_after the model's series are dropped: their samples leave /metrics.
    now += 700_000;
    expect(await p.analyzers.tick(now)).toBe(true);
    const evicted = p.exposition.capture();
    expect(changedFamilies(evicted, aged).length).toBeGreaterThan(0);
    expect(await p.analyzers.tick(now)).toBe(false);
    expect(changedFamilies(p.exposition.capture(), evicted)).toEqual([]);
  });

  it('say false only when the capture agrees, for the shape of a deployment: two models × two versions, three string classes, segments, predictions expiring while idle', async () => {
    let now = T0;
    const config = configSchema.parse({
      sources: [{ type: 'stdin' }],
      reference: { warmup_records: 20 },
      drift: { windows: [{ count: 50 }, { duration: '1m' }], min_samples: 5 },
      quality: { windows: [{ count: 50 }, { duration: '1m' }], min_samples: 5, segments: { fields: ['c'] }, labels: { ttl: 30 } },
      metrics: { stale_series_after: 600 },
      resources: { enabled: false },
    });
    const p = buildPipeline({ config, logger: pino({ level: 'silent' }), clock: { now: () => now } });
    registerPipelineSelfMetrics(p, []);
    const stream = p.newStream(config.sources[0].format, 'records');
    const classes = ['cat', 'dog', 'bird'];
    for (let i = 0; i < 400; i++) {
      const model = i % 2 ? 'fraud' : 'churn';
      const features = { x: (i * 37) % 11, c: `k${i % 4}`, ...(i % 9 === 0 ? { x: 'n/a' } : {}) };
      stream.line(JSON.stringify({ timestamp: new Date(now).toISOString(), request_id: `r${i}`, model, model_version: `v${(i >> 1) % 2}`, features, prediction: classes[i % 3], latency_ms: 5, status: 200 }), 'stdin');
      now += 30;
    }
    // Labels for a third of them; the rest wait and expire 30 s later, with no line read meanwhile.
    for (let i = 0; i < 400; i += 3) p.analyzers.label({ timestamp: now / 1000, requestId: `r${i}`, label: classes[(i * 7) % 3] });
    // An irregular schedule: each tick that says false must leave every family as it found it.
    const steps = [0, 1000, 1000, 35_000, 1000, 90_000, 500, 700_000, 1000];
    const said: boolean[] = [];
    for (const step of steps) {
      now += step;
      const before = p.exposition.capture();
      const changed = await p.analyzers.tick(now);
      said.push(changed);
      if (!changed) expect(changedFamilies(p.exposition.capture(), before), `tick after +${step} ms said false`).toEqual([]);
    }
    // The first tick, the expiry past the 30 s TTL, the 1 min windows emptying and the stale series changed something.
    expect([said[0], said[3], said[5], said[7]]).toEqual([true, true, true, true]);
    expect([said[1], said[2], said[8]]).toEqual([false, false, false]);
  });

  it('count a tick that changed nothing out of the state version, and one that did in', async () => {
    let now = T0;
    const config = configSchema.parse({ sources: [{ type: 'stdin' }], reference: { warmup_records: 5 }, drift: { windows: [{ count: 50 }, { duration: '1m' }] }, resources: { enabled: false } });
    const p = buildPipeline({ config, logger: pino({ level: 'silent' }), clock: { now: () => now } });
    const stream = p.newStream(config.sources[0].format, 'records');
    for (let i = 0; i < 20; i++) stream.line(JSON.stringify({ timestamp: new Date(now).toISOString(), request_id: `r${i}`, model: 'm', model_version: 'v', features: { x: i % 7 }, prediction: i % 2, status: 200 }), 'stdin');
    await p.tick();
    const v = p.stateVersion();
    now += 1000;
    await p.tick();
    expect(p.stateVersion()).toBe(v);
    now += 120_000;
    await p.tick();
    expect(p.stateVersion()).toBeGreaterThan(v);
  });
});
