import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamed } from '../helpers/streamed-json.js';
import { saveSamples } from '../../src/metrics/counter-base.js';
import { SavedCounters } from '../../src/metrics/saved-counters.js';
import type { Sample } from '../../src/metrics/sample.js';

type Family = { name: string; type: string; values: Sample[] };

const labelValue = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('é"\\\n', '😀', '\ud800', ''), fc.integer(), fc.double());
const value = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e21, 5e-324));
const sample = fc.record(
  { labels: fc.dictionary(fc.constantFrom('model', 'version', 'le', 'feature', 'status', 'é'), labelValue, { maxKeys: 4 }), value, metricName: fc.constantFrom('m_bucket', 'm_sum', 'm_count') },
  { requiredKeys: ['labels', 'value'] },
);
const family = fc.record({
  name: fc.constantFrom('a_total', 'b_total', 'm', 'g', 'modelwatch_log_lines_total'),
  type: fc.constantFrom('counter', 'histogram', 'gauge'),
  values: fc.array(sample, { maxLength: 8 }),
});

describe('SavedCounters', () => {
  it('streams exactly JSON.stringify of the saved samples: counters and histograms only, labels as strings, a repeated name last', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(family, { maxLength: 6 }), fc.integer({ min: 8, max: 300 }), async (families: Family[], size) => {
        const saved = new SavedCounters(families);
        const want = JSON.stringify(saveSamples(families));
        expect(await streamed(saved, size)).toBe(want);
        expect(JSON.stringify(saved)).toBe(want);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a family longer than a slice whole, in order', async () => {
    const bins: Family = {
      name: 'modelwatch_feature_bin_total',
      type: 'counter',
      values: Array.from({ length: 2500 }, (_, i) => ({ labels: { feature: `f${i % 100}`, bin: i }, value: i * 1.5 })),
    };
    const text = await streamed({ version: 1, counters: new SavedCounters([bins, { name: 'g', type: 'gauge', values: [{ labels: {}, value: 1 }] }]) }, 4096);
    const parsed = JSON.parse(text) as { counters: Record<string, { n: string; l: [string, string][]; v: number }[]> };
    expect(Object.keys(parsed.counters)).toEqual(['modelwatch_feature_bin_total']);
    expect(parsed.counters.modelwatch_feature_bin_total).toHaveLength(2500);
    expect(parsed.counters.modelwatch_feature_bin_total[2499]).toEqual({ n: 'modelwatch_feature_bin_total', l: [['feature', 'f99'], ['bin', '2499']], v: 2499 * 1.5 });
  });

  it('streams a 1 MB model name from a hostile log through a small buffer as JSON.stringify writes it', async () => {
    const model = `m${'é"\\\n'.repeat(200_000)}`;
    const families: Family[] = [{ name: 'modelwatch_requests_total', type: 'counter', values: [{ labels: { model, version: 'v1' }, value: 7 }, { labels: { model: 'ok', version: 'v1' }, value: 1 }] }];
    expect(await streamed(new SavedCounters(families), 4096)).toBe(JSON.stringify(saveSamples(families)));
  });
});
