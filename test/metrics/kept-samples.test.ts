import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { keptSamples, registerSnapshotWriter } from '../../src/metrics/snapshot-metric.js';
import type { Sample } from '../../src/metrics/sample.js';

describe('keptSamples', () => {
  const last: Sample[] = [
    { labels: { model: 'm', version: 'v1' }, value: 3 },
    { labels: { model: 'm', version: 'v1', le: '0.1' }, value: NaN, metricName: 'x_bucket' },
    { labels: { model: 'm', version: 'v2' }, value: 0 },
    { labels: { a: '1', b: '2' }, value: 1 },
    { labels: { model: 'm' }, value: 1 },
  ];

  it('keeps a series whose name, labels (in order) and value did not move, and only its labels when its value moved', () => {
    const fresh: Sample[] = [
      { labels: { model: 'm', version: 'v1' }, value: 3 },
      { labels: { model: 'm', version: 'v1', le: '0.1' }, value: NaN, metricName: 'x_bucket' },
      { labels: { model: 'm', version: 'v2' }, value: -0 },
      { labels: { b: '2', a: '1' }, value: 1 },
      { labels: { model: 'm' }, value: 1, metricName: 'x_sum' },
      { labels: { model: 'n' }, value: 1 },
    ];
    const copy = structuredClone(fresh);
    const kept = keptSamples(fresh, last);
    expect(kept[0]).toBe(last[0]);
    expect(kept[1]).toBe(last[1]);
    // -0 is not 0 (it is written "0", yet a counter at -0 is not one at 0): a new sample, last's labels.
    expect(kept[2]).not.toBe(last[2]);
    expect(kept[2].labels).toBe(last[2].labels);
    expect(Object.is(kept[2].value, -0)).toBe(true);
    expect(kept[2]).not.toHaveProperty('metricName');
    // Another label order is written otherwise, another sample name is another series: the fresh ones stay.
    expect(kept[3].labels).not.toBe(last[3].labels);
    expect(Object.keys(kept[3].labels)).toEqual(['b', 'a']);
    expect(kept[4].labels).not.toBe(last[4].labels);
    expect(kept[4].metricName).toBe('x_sum');
    // What is kept is equal to what was collected, sample for sample.
    expect(kept).toEqual(copy);
  });

  it('keeps a histogram sample name with its moved value', () => {
    const kept = keptSamples([{ labels: { model: 'm', version: 'v1', le: '0.1' }, value: 4, metricName: 'x_bucket' }], last.slice(1));
    expect(kept[0]).toEqual({ labels: { model: 'm', version: 'v1', le: '0.1' }, value: 4, metricName: 'x_bucket' });
    expect(kept[0].labels).toBe(last[1].labels);
  });

  it('a writer metric read twice shares the unchanged samples and labels of the first read, never its changed values', () => {
    const registry = new Registry();
    let values = [1, 2, 3];
    const labels = { feature: '', window: 'w' };
    const metric = registerSnapshotWriter(registry, 'modelwatch_x', 'x', 'gauge', (out) => {
      values.forEach((v, i) => {
        labels.feature = `f${i}`;
        out(labels, v);
      });
    });
    const first = metric.get().values;
    values = [1, 5, 3];
    const second = metric.get().values;
    expect(second.map((s) => s.value)).toEqual([1, 5, 3]);
    expect(second[0]).toBe(first[0]);
    expect(second[2]).toBe(first[2]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1].labels).toBe(first[1].labels);
    expect(first.map((s) => s.value)).toEqual([1, 2, 3]);
    expect(first.map((s) => s.labels.feature)).toEqual(['f0', 'f1', 'f2']);
  });

  it('a new model version in the middle, or series gone, never lends one series the labels of another', () => {
    const before: Sample[] = ['v1', 'v2', 'v3'].map((version) => ({ labels: { model: 'm', version }, value: 1 }));
    const inserted: Sample[] = ['v1', 'v1b', 'v2', 'v3'].map((version) => ({ labels: { model: 'm', version }, value: 1 }));
    const copy = structuredClone(inserted);
    const kept = keptSamples(inserted, before);
    expect(kept).toEqual(copy);
    expect(kept[0]).toBe(before[0]);
    for (const s of kept.slice(1)) expect(before.map((b) => b.labels)).not.toContain(s.labels);

    const shrunk: Sample[] = [{ labels: { model: 'm', version: 'v3' }, value: 1 }];
    expect(keptSamples(shrunk, kept)).toEqual([{ labels: { model: 'm', version: 'v3' }, value: 1 }]);
    expect(shrunk[0].labels).not.toBe(kept[3].labels);
  });
});
