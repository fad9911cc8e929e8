/**
 * The checkpoint timer writes only when a counter moved: an idle sidecar writes nothing (and
 * publishes what its ticks recomputed), a new line brings the next write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import type { CapturedFamily } from '../../src/exposition/exposition.js';
import { buildPipeline, registerPipelineSelfMetrics } from '../../src/main.js';
import { sameCounters, StateSnapshotter } from '../../src/pipeline/snapshotter.js';
import { CheckpointStore } from '../../src/sources/checkpoint.js';
import { logLine } from '../helpers/sidecar.js';
import { fixtureLines } from '../records/mapper-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-idle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('periodic checkpoint writes', () => {
  it('are skipped while no counter moves, and resume with the next line', async () => {
    const config = configSchema.parse({ sources: [{ type: 'stdin' }], reference: { warmup_records: 5 }, resources: { enabled: false } });
    const logger = pino({ level: 'silent' });
    const p = buildPipeline({ config, logger, clock: { now: () => Date.now() } });
    registerPipelineSelfMetrics(p, []);
    const stream = p.newStream(config.sources[0].format, 'records');
    const line = (i: number) => stream.line(logLine({ request_id: `r${i}`, model: 'm', model_version: 'v', features: { x: i % 7, c: `k${i % 3}` }, prediction: i % 2, latency_ms: 5, status: 200 }), 'stdin');
    let snapshotter: StateSnapshotter | undefined = undefined;
    const checkpoint = new CheckpointStore({ path: join(dir, 'checkpoint.json'), logger, stateProvider: () => snapshotter!.provide(), canWrite: () => snapshotter!.armed });
    snapshotter = new StateSnapshotter(checkpoint, () => [], p.analyzers, p.exposition, logger, p.stateVersion);
    const capture = vi.spyOn(p.exposition, 'capture');
    for (let i = 0; i < 20; i++) line(i);
    await snapshotter.restore();
    snapshotter.arm();
    await snapshotter.snapshotNow();
    expect(checkpoint.stats.writes).toBe(1);
    expect(capture).toHaveBeenCalledTimes(1);

    // Nothing new since the write: decided by the state version, without capturing anything.
    await snapshotter.periodic();
    await snapshotter.periodic();
    expect(capture).toHaveBeenCalledTimes(1);
    expect(snapshotter.unchanged).toBe(2);
    await p.tick();
    const published = snapshotter.families();
    await snapshotter.periodic();
    expect(capture).toHaveBeenCalledTimes(2);
    expect(checkpoint.stats.writes).toBe(1);
    expect(snapshotter.skipped).toBe(3);
    // The tick's results are published without a write, then nothing is captured until a change.
    expect(snapshotter.families()).not.toBe(published);
    // A family the tick did not change is published as the same object (its lines stay formatted).
    const requests = (f: CapturedFamily[] | undefined) => f!.find((x) => x.name === 'modelwatch_requests_total');
    expect(requests(snapshotter.families())).toBe(requests(published));
    await snapshotter.periodic();
    expect(capture).toHaveBeenCalledTimes(2);
    // A tick that changed nothing a metric shows leaves the version alone: no capture after it.
    await p.tick();
    await snapshotter.periodic();
    expect(capture).toHaveBeenCalledTimes(2);
    expect(snapshotter.unchanged).toBe(4);

    line(20);
    await snapshotter.periodic();
    expect(checkpoint.stats.writes).toBe(2);
    expect(snapshotter.skipped).toBe(5);
    // The write published its capture and version: the next timer captures nothing.
    const calls = capture.mock.calls.length;
    await snapshotter.periodic();
    expect(capture).toHaveBeenCalledTimes(calls);
    expect(checkpoint.stats.writes).toBe(2);
    // Every kind of line moves the version: a skipped (invalid) line must be written too.
    stream.line('not json', 'stdin');
    await snapshotter.periodic();
    expect(checkpoint.stats.writes).toBe(3);
  });

  it('count an expiry that dropped a waiting request half as a change', async () => {
    const config = configSchema.parse({
      sources: [{ type: 'stdin', format: { preset: 'kserve', feature_names: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] } }],
      pairing: { ttl: 1 },
      resources: { enabled: false },
    });
    let now = Date.parse('2024-05-14T09:21:37Z');
    const p = buildPipeline({ config, logger: pino({ level: 'silent' }), clock: { now: () => now } });
    const stream = p.newStream(config.sources[0].format, 'records');
    stream.line(JSON.stringify(fixtureLines('kserve-v1-iris.jsonl')[0]), 'stdin');
    expect([...p.mappers[0].pendingByModel()]).toEqual([['sklearn-iris', 1]]);
    const v0 = p.stateVersion();
    p.expire();
    expect(p.stateVersion()).toBe(v0);
    now += 5_000;
    p.expire();
    expect(p.stateVersion()).toBeGreaterThan(v0);
    const v1 = p.stateVersion();
    p.expire();
    expect(p.stateVersion()).toBe(v1);
  });
});

describe('a periodic write after lines were read', () => {
  it('captures once (for the write), not once more to compare: a line read moved its counter', async () => {
    const config = configSchema.parse({ sources: [{ type: 'stdin' }], reference: { warmup_records: 5 }, resources: { enabled: false } });
    const logger = pino({ level: 'silent' });
    const p = buildPipeline({ config, logger, clock: { now: () => Date.now() } });
    registerPipelineSelfMetrics(p, []);
    const stream = p.newStream(config.sources[0].format, 'records');
    const line = (i: number) => stream.line(logLine({ request_id: `r${i}`, model: 'm', model_version: 'v', features: { x: i % 7 }, prediction: i % 2, latency_ms: 5, status: 200 }), 'stdin');
    let snapshotter: StateSnapshotter | undefined = undefined;
    const checkpoint = new CheckpointStore({ path: join(dir, 'lines.json'), logger, stateProvider: () => snapshotter!.provide(), canWrite: () => snapshotter!.armed });
    snapshotter = new StateSnapshotter(checkpoint, () => [], p.analyzers, p.exposition, logger, p.stateVersion, () => p.stats.totalLines());
    for (let i = 0; i < 20; i++) line(i);
    await snapshotter.restore();
    snapshotter.arm();
    await snapshotter.snapshotNow();
    const capture = vi.spyOn(p.exposition, 'capture');
    for (const kind of ['record', 'invalid line']) {
      if (kind === 'record') line(20);
      else stream.line('not json', 'stdin');
      const writes = checkpoint.stats.writes;
      const calls = capture.mock.calls.length;
      await snapshotter.periodic();
      expect(checkpoint.stats.writes, kind).toBe(writes + 1);
      expect(capture.mock.calls.length - calls, kind).toBe(1);
    }
    // A tick alone (no line) still compares, and publishes without a write.
    await p.tick();
    const writes = checkpoint.stats.writes;
    await snapshotter.periodic();
    expect(checkpoint.stats.writes).toBe(writes);
  });
});

describe('sameCounters', () => {
  const family = (type: string, value: number, labels: Record<string, string | number> = { a: 'x' }, live = false): CapturedFamily => ({
    name: `f_${type}`,
    help: '',
    type,
    values: [{ labels, value }],
    ...(live ? { live } : {}),
  });
  it('compares counters and histograms, label by label, and ignores gauges and live families', () => {
    expect(sameCounters([family('counter', 1), family('gauge', 1)], [family('counter', 1), family('gauge', 2)])).toBe(true);
    expect(sameCounters([family('counter', 1)], [family('counter', 2)])).toBe(false);
    expect(sameCounters([family('histogram', 1, { le: 0.5 })], [family('histogram', 1, { le: '0.5' })])).toBe(false);
    expect(sameCounters([family('counter', 1, { a: 'x', b: 'y' })], [family('counter', 1, { a: 'x' })])).toBe(false);
    expect(sameCounters([family('counter', 1)], [])).toBe(false);
    expect(sameCounters([], [family('counter', 1)])).toBe(false);
    expect(sameCounters([family('counter', 1, { a: 'x' }, true)], [family('counter', 2, { a: 'x' }, true)])).toBe(true);
  });
});
