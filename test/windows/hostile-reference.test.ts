/**
 * Text, booleans and 1e999 in a numeric feature during warm-up. They once reached the reference's
 * sorted sample as NaN (Number('x')), which broke its quantile edges and sent the KS merge walk into
 * an endless loop: the drift tick never returned and the sidecar stopped answering. The profile now
 * leaves them out as missing, as the live windows do, and the sample walks fail instead of spinning.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import { ANALYZERS } from '../../src/analyzers/index.js';
import { configSchema, formatSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { createRecordMapper } from '../../src/records/mapper.js';
import { RecordStream } from '../../src/records/record-stream.js';
import { SourceStatsTable } from '../../src/records/source-stats.js';
import { ksStatisticSorted } from '../../src/stats/methods/ks.js';
import { wassersteinSorted } from '../../src/stats/methods/wasserstein.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReference } from '../../src/windows/reference-loader.js';
import { profileNumeric } from '../../src/windows/reference-profile.js';

const T0 = 1_715_688_000;

describe('a numeric feature with hostile values in its reference', () => {
  it('the profile keeps only finite numbers (numeric strings included); the rest count as missing', () => {
    const p = profileNumeric([1, 'x', 2, true, '3', '', ' ', 'NaN', Infinity, 1e300, false, null, undefined, '1e999'], { bins: 4, maxSample: 100, maxCategories: 100 });
    expect(Array.from(p.sample)).toEqual([1, 2, 3, 1e300]);
    expect(p.n).toBe(4);
    expect(p.missing).toBe(10);
    expect(p.edges.every(Number.isFinite)).toBe(true);
  });

  it('a training file (CSV) whose declared numeric column holds text: the same, through the loader', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mw-hostile-')), 'train.csv');
    writeFileSync(path, 'a,b\n1,x\n2,3\n3,true\n4,5\n5,NaN\n6,\n');
    const config = configSchema.parse({ reference: { path }, features: [{ name: 'a', type: 'numeric' }, { name: 'b', type: 'numeric' }] });
    const b = loadReference(path, config).features.b;
    expect(b.type).toBe('numeric');
    if (b.type !== 'numeric') return;
    expect(Array.from(b.sample)).toEqual([3, 5]);
    expect(b.missing).toBe(4);
  });

  it('the sample walks throw on NaN instead of looping', () => {
    expect(() => ksStatisticSorted(Float64Array.of(1, NaN), Float64Array.of(0.5))).toThrow(/NaN/);
    expect(() => wassersteinSorted(Float64Array.of(1), Float64Array.of(0.5, NaN))).toThrow(/NaN/);
    expect(ksStatisticSorted(Float64Array.of(1, 2), Float64Array.of(1.5))).toBe(0.5);
  });

  it('the drift tick finishes with finite ks and wasserstein for the feature', async () => {
    const config = configSchema.parse({
      reference: { warmup_records: 200 },
      drift: { windows: [{ count: 200 }], min_samples: 20, methods: ['psi', 'ks', 'wasserstein'] },
      features: [
        { name: 'a', type: 'numeric' },
        { name: 'b', type: 'numeric' },
      ],
    });
    const clock = new ManualClock((T0 + 600) * 1000);
    const registry = new Registry();
    const set = new AnalyzerSet(ANALYZERS, { config, registry, clock, logger: pino({ level: 'silent' }), oneShot: true });
    const mapper = createRecordMapper(formatSchema.parse({}), { defaults: { model: 'm', version: 'v' }, pairing: { ttl: 60, max_pending: 100 }, clock });
    const stream = new RecordStream(mapper, 'records', { record: (r) => set.record(r), label: (l) => set.label(l) }, new SourceStatsTable());
    const hostile = ['x', true, false, '', 'NaN'];
    for (let i = 0; i < 600; i++) {
      const b = i % 7 === 0 ? hostile[i % hostile.length] : (i % 13) / 2;
      const line = JSON.stringify({ timestamp: T0 + i, model: 'm', features: { a: i % 10, b }, prediction: 0 }).replace('"a":0,', i % 50 === 0 ? '"a":1e999,' : '"a":0,');
      stream.line(line, 'log');
    }
    await set.tick(clock.now());
    const text = await registry.metrics();
    expect(text).toMatch(/modelwatch_analyzer_up\{analyzer="drift"\} 1/);
    for (const feature of ['a', 'b']) {
      for (const method of ['ks', 'wasserstein']) {
        const m = text.match(new RegExp(`modelwatch_feature_drift_score\\{[^}]*feature="${feature}"[^}]*method="${method}"[^}]*\\} (\\S+)`));
        expect(m, `${feature} ${method}`).not.toBeNull();
        expect(Number.isFinite(Number(m![1])), `${feature} ${method} = ${m![1]}`).toBe(true);
      }
    }
  });
});
