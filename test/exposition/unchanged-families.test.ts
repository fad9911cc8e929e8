/**
 * A published capture keeps the objects of the families that did not change (unchanged-families.ts),
 * so their lines stay formatted and their old copies are not garbage: a family that changed in any
 * way (a value, a label, a series more or less, its help) is the fresh one, and what a scrape shows
 * is always the fresh capture's text.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import type { CapturedFamily } from '../../src/exposition/exposition.js';
import { keepUnchanged, sameFamily } from '../../src/exposition/unchanged-families.js';
import { buildPipeline, registerPipelineSelfMetrics } from '../../src/main.js';
import { logLine } from '../helpers/sidecar.js';

const family = (name: string, values: CapturedFamily['values'], help = 'h'): CapturedFamily => ({ name, help, type: 'gauge', values });

describe('keepUnchanged', () => {
  it('keeps the previous object of an equal family, the fresh one of a changed family', () => {
    const previous = [family('a', [{ labels: { m: 'x' }, value: 1 }]), family('b', [{ labels: { m: 'x' }, value: NaN }]), family('c', [{ labels: { m: 'x' }, value: 1 }])];
    const fresh = [family('a', [{ labels: { m: 'x' }, value: 1 }]), family('b', [{ labels: { m: 'x' }, value: NaN }]), family('c', [{ labels: { m: 'x' }, value: 2 }]), family('d', [])];
    const kept = keepUnchanged(fresh, previous);
    expect(kept[0]).toBe(previous[0]);
    expect(kept[1]).toBe(previous[1]);
    expect(kept[2]).toBe(fresh[2]);
    expect(kept[3]).toBe(fresh[3]);
    expect(keepUnchanged(fresh, undefined)).toBe(fresh);
  });

  it('tells apart a label, a series, a metric name, the help and -0', () => {
    const base = family('a', [{ labels: { m: 'x', w: '1h' }, value: 0 }]);
    expect(sameFamily(base, family('a', [{ labels: { m: 'x', w: '1h' }, value: 0 }]))).toBe(true);
    expect(sameFamily(base, family('a', [{ labels: { m: 'x', w: '2h' }, value: 0 }]))).toBe(false);
    expect(sameFamily(base, family('a', [{ labels: { m: 'x' }, value: 0 }]))).toBe(false);
    expect(sameFamily(base, family('a', [{ labels: { m: 'x', w: '1h', v: 'y' }, value: 0 }]))).toBe(false);
    expect(sameFamily(base, family('a', [{ labels: { m: 'x', w: '1h' }, value: -0 }]))).toBe(false);
    expect(sameFamily(base, family('a', [{ labels: { m: 'x', w: '1h' }, value: 0, metricName: 'a_sum' }]))).toBe(false);
    expect(sameFamily(base, family('a', [...base.values, ...base.values]))).toBe(false);
    expect(sameFamily(base, family('a', base.values, 'other help'))).toBe(false);
  });
});

describe('a published capture that keeps unchanged families', () => {
  it('renders exactly what the fresh capture renders, before and after a family changes', async () => {
    const config = configSchema.parse({ sources: [{ type: 'stdin' }], reference: { warmup_records: 5 }, resources: { enabled: false } });
    const p = buildPipeline({ config, logger: pino({ level: 'silent' }), clock: { now: () => Date.now() }, processMetrics: false });
    registerPipelineSelfMetrics(p, []);
    const stream = p.newStream(config.sources[0].format, 'records');
    const line = (i: number) => stream.line(logLine({ request_id: `r${i}`, model: 'm', model_version: 'v', features: { x: i % 7, c: `k${i % 3}` }, prediction: i % 2, latency_ms: 5, status: 200 }), 'stdin');
    for (let i = 0; i < 30; i++) line(i);
    await p.tick();
    const first = p.exposition.capture();
    const firstText = await p.exposition.render(first);
    // Nothing moved: every family but the exposition's own (which report on the capture) is kept.
    const again = keepUnchanged(p.exposition.capture(), first);
    const kept = again.filter((f, i) => f === first[i]).map((f) => f.name);
    expect(kept).toContain('modelwatch_requests_total');
    expect(kept).toContain('modelwatch_feature_drift_score');
    expect(await p.exposition.render(again)).toBe(await p.exposition.render(p.exposition.capture()));
    // One more record moves the request counter: its family is the fresh one, and the text shows it.
    line(30);
    const fresh = p.exposition.capture();
    const next = keepUnchanged(fresh, again);
    const requests = next.find((f) => f.name === 'modelwatch_requests_total')!;
    expect(requests).not.toBe(again.find((f) => f.name === 'modelwatch_requests_total'));
    const text = await p.exposition.render(next);
    expect(text).toBe(await p.exposition.render(fresh));
    expect(text).not.toBe(firstText);
  });
});
