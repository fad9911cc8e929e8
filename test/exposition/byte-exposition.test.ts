import { Counter, Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/exposition/byte-writer.js';
import { Exposition } from '../../src/exposition/exposition.js';
import { toOpenMetrics } from '../../src/http/openmetrics.js';
import { registerSnapshot, registerSnapshotWriter, type Sample, type SampleWriter } from '../../src/metrics/snapshot-metric.js';

/** Pipeline-like families whose series set and values the test changes between renders. */
function pipeline() {
  const registry = new Registry();
  const state = { models: ['a', 'b', 'c'], scale: 0.1, extra: false };
  registerSnapshot(registry, 'x_requests_total', 'Requests \\ by "model"\nsecond line.', 'counter', function* (): Iterable<Sample> {
    for (const [i, model] of state.models.entries()) yield { labels: { model, note: 'é "quoted" \\ back\nslash' }, value: i * 7 };
  });
  registerSnapshot(registry, 'x_score', 'Doubles.', 'gauge', function* (): Iterable<Sample> {
    for (const [i, model] of state.models.entries()) {
      for (const window of ['count_10000', '1h']) yield { labels: { model, window, méthode: 'psi' }, value: state.scale * (i + 1) + 1 / 3 };
    }
    if (state.extra) yield { labels: { model: 'late', window: '1h', méthode: 'ks' }, value: -0 };
    const odd = [-1, -0, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 1e21, 123456789012345680000, 5e-324, 1e-7, Infinity, -Infinity, Number.MAX_VALUE];
    for (const [i, v] of odd.entries()) yield { labels: { model: 'odd', window: String(i), méthode: 'x' }, value: v * (state.scale > 0.15 ? -1 : 1) };
  });
  registerSnapshot(registry, 'x_latency_seconds', 'A histogram.', 'histogram', function* (): Iterable<Sample> {
    for (const model of state.models) {
      for (const le of [0.005, 0.1, '+Inf']) yield { metricName: 'x_latency_seconds_bucket', labels: { model, le }, value: 3 };
      yield { metricName: 'x_latency_seconds_sum', labels: { model }, value: state.scale * 3 };
      yield { metricName: 'x_latency_seconds_count', labels: { model }, value: 3 };
    }
  });
  registerSnapshot(registry, 'x_empty', 'No samples.', 'gauge', () => []);
  // Written sample by sample (no Sample objects), as the large pipeline families are.
  registerSnapshotWriter(registry, 'x_written_ratio', 'Streamed.', 'gauge', (out) => {
    for (const [i, model] of state.models.entries()) for (const stat of ['mean', 'p95']) out({ model, stat }, state.scale / (i + 3));
  });
  registerSnapshotWriter(registry, 'x_written_seconds', 'A streamed histogram.', 'histogram', (out) => {
    for (const model of state.models) {
      out({ model, le: 1 }, 2, 'x_written_seconds_bucket');
      out({ model, le: '+Inf' }, 3, 'x_written_seconds_bucket');
      out({ model }, state.scale, 'x_written_seconds_sum');
      out({ model }, 3, 'x_written_seconds_count');
    }
  });
  new Counter({ name: 'pc_things_total', help: 'prom-client counter', labelNames: ['k'], registers: [registry] }).inc({ k: 'v' }, 2);
  new Gauge({ name: 'pc_gauge', help: 'prom-client gauge', registers: [registry] }).set(1.5);
  return { registry, state, exposition: new Exposition(registry) };
}

async function bodyText(e: Exposition, format: 'text' | 'openmetrics' = 'text'): Promise<string> {
  const body = await e.renderBody(undefined, format);
  const text = body.bytes.toString('utf8');
  body.release();
  return text;
}

describe('the byte exposition', () => {
  it("equals prom-client's own rendering of the same registry, render after render, as series come, go and move", async () => {
    const { registry, state, exposition } = pipeline();
    const changes = [
      () => undefined,
      () => (state.scale = 0.2),
      () => (state.models = ['a', 'c']),
      () => (state.extra = true),
      () => (state.models = ['c', 'b', 'a', 'd']),
      () => ((state.models = []), (state.extra = false)),
      () => (state.models = ['a', 'b', 'c']),
    ];
    for (const change of changes) {
      change();
      // prom-client formats the snapshot metrics through their get(), as it did before the byte writer.
      const expected = await registry.metrics();
      expect(await exposition.render()).toBe(expected);
      expect(await bodyText(exposition)).toBe(expected);
      expect(await bodyText(exposition, 'openmetrics')).toBe(toOpenMetrics(expected));
    }
  });

  it('OpenMetrics names counter families without _total, keeps it on samples, ends with # EOF', async () => {
    const text = await bodyText(pipeline().exposition, 'openmetrics');
    expect(text).toContain('# TYPE x_requests counter\nx_requests_total{model="a"');
    expect(text).toContain('# TYPE pc_things counter\npc_things_total{k="v"} 2\n');
    expect(text).not.toMatch(/\n\n/);
    expect(text.endsWith('\n# EOF\n')).toBe(true);
  });

  it('a published snapshot is written as captured, later changes shown only by a newer capture', async () => {
    const { state, exposition } = pipeline();
    const captured = exposition.capture();
    const before = await exposition.render(captured);
    state.scale = 0.2;
    expect(await exposition.render(captured)).toBe(before);
    const after = await exposition.render(exposition.capture());
    expect(after).not.toBe(before);
    expect(after).toBe(await exposition.render());
  });

  it('a body not yet released keeps its bytes through later renders; a released buffer is reused', async () => {
    const { state, exposition } = pipeline();
    const first = await exposition.renderBody();
    const copy = Buffer.from(first.bytes);
    state.scale = 0.3;
    const second = await exposition.renderBody();
    expect(first.bytes.equals(copy)).toBe(true);
    expect(second.bytes.equals(copy)).toBe(false);
    second.release();
    second.release();
    const third = await exposition.renderBody();
    expect(third.bytes.buffer).toBe(second.bytes.buffer);
    expect(first.bytes.equals(copy)).toBe(true);
  });
});

describe('a family written sample by sample', () => {
  it('over the series bounds, is bounded exactly as one collected as objects', async () => {
    const models = ['a', 'b', 'c'];
    const write: SampleWriter = (out) => {
      for (const model of models) out({ model, feature: model === 'b' ? 'f'.repeat(40) : 'short' }, 1.5);
    };
    const written = () => {
      const r = new Registry();
      registerSnapshotWriter(r, 'x_streamed', 'x', 'gauge', write);
      return r;
    };
    const collected = () => {
      const r = new Registry();
      registerSnapshot(r, 'x_streamed', 'x', 'gauge', () => {
        const samples: Sample[] = [];
        write((labels, value) => samples.push({ labels, value }));
        return samples;
      });
      return r;
    };
    for (const limits of [
      { maxLabelValueLength: 128, maxSeriesPerMetric: 10 },
      { maxLabelValueLength: 20, maxSeriesPerMetric: 10 },
      { maxLabelValueLength: 128, maxSeriesPerMetric: 2 },
    ]) {
      const a = new Exposition(written(), limits);
      const b = new Exposition(collected(), limits);
      // Twice: the second render writes from the kept prefixes.
      for (let i = 0; i < 2; i++) expect(await a.render()).toBe(await b.render());
    }
    const cut = new Exposition(written(), { maxLabelValueLength: 20, maxSeriesPerMetric: 2 });
    const text = await cut.render();
    expect(text).toMatch(/^x_streamed\{model="a",feature="short"\} 1.5$/m);
    expect(text).toContain('modelwatch_exposition_label_values_truncated{metric="x_streamed"} 1');
    expect(text).toContain('modelwatch_exposition_series_capped{metric="x_streamed"} 1');
    models.pop();
    models[1] = 'd';
    // Back within bounds: nothing cut or capped any more, and said so.
    const within = await cut.render();
    expect(within).toContain('x_streamed{model="d",feature="short"} 1.5');
    expect(within).not.toContain('metric="x_streamed"');
  });

  it('a writer that throws leaves its family out, counts it, and the rest is written', async () => {
    const { registry, exposition } = pipeline();
    registerSnapshotWriter(registry, 'x_broken', 'Throws halfway.', 'gauge', (out) => {
      out({ a: '1' }, 1);
      throw new Error('broken');
    });
    const text = await exposition.render();
    expect(text).not.toContain('x_broken');
    expect(text).toContain('x_written_ratio{model="a",stat="mean"}');
    expect(text).toContain('modelwatch_exposition_errors_total 1\n');
  });
});

describe('ByteWriter', () => {
  it('writes numbers as String() does (NaN and infinities as the text format spells them), text as UTF-8', () => {
    const values = [0, -0, 1, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -1, 0.1, 1 / 3, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 123.456];
    for (let i = 0; i < 200; i++) values.push((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 40 - 20), Math.floor(Math.random() * 2 ** 40));
    const w = new ByteWriter(Buffer.alloc(1));
    for (const v of values) {
      w.number(v);
      w.byte(32);
    }
    w.number(NaN);
    w.byte(32);
    w.number(Infinity);
    w.byte(32);
    w.number(-Infinity);
    w.text(' é✓ ' + 'ü'.repeat(100));
    expect(w.toString()).toBe(values.map(String).join(' ') + ' NaN +Inf -Inf é✓ ' + 'ü'.repeat(100));
  });
});
