/**
 * Renders the registry in the Prometheus text format or OpenMetrics 1.0, as bytes (byte-writer.ts).
 * The pipeline's own metrics (SnapshotMetric) are written in one synchronous step, so one exposition
 * shows one instant of the pipeline; those registered with a writer stream their samples straight
 * into the bytes. prom-client's process metrics and the resource collectors are formatted by
 * prom-client as usual (60 series, ~0.7 ms of a 6,400-series render).
 *
 * Log content can never take /metrics down: every captured family is bounded (label value length,
 * label sets per family; metrics/series-bounds.ts), a family that fails to collect or format is left
 * out and counted, and if the whole exposition cannot be built (a buffer that cannot grow, a text
 * too long for a string), the answer is the pipeline's self-metrics with the error count instead
 * of a 500 on every scrape.
 *
 * Each family keeps its series' formatted prefixes across scrapes (family-lines.ts), and a published
 * family is written once: scrapes copy its bytes until a capture finds it changed.
 */
import type { Registry } from 'prom-client';
import type { CounterBase } from '../metrics/counter-base.js';
import { DEFAULT_SERIES_LIMITS, SeriesBounds, type SeriesLimits } from '../metrics/series-bounds.js';
import { registerSnapshot, SnapshotMetric, type Sample } from '../metrics/snapshot-metric.js';
import { BufferPool, ByteWriter, type ExpositionBody } from './byte-writer.js';
import { escapeHelp, FamilyLines } from './family-lines.js';

export type { ExpositionBody } from './byte-writer.js';
export type ExpositionFormat = 'text' | 'openmetrics';

/** prom-client formats one metric with this method; it is public JavaScript but missing from its types. */
type FormattingRegistry = { getMetricsAsString(metric: unknown): Promise<string> };

export interface CapturedFamily {
  name: string;
  help: string;
  type: string;
  values: Sample[];
  /** Always rendered as of now, never from a published snapshot (SnapshotMetric.live). */
  live?: boolean;
}

/** One family as prom-client writes it (HELP, TYPE, samples), without a trailing newline (tests, tools). */
export function formatFamily(f: CapturedFamily): string {
  const w = new ByteWriter(Buffer.allocUnsafe(4096));
  writeHeader(w, f.name, f.help, f.type, false);
  new FamilyLines().write(w, f.name, f.values);
  return w.buf.toString('utf8', 0, w.len - 1);
}

/**
 * `# HELP` and `# TYPE`. OpenMetrics names a counter family without `_total` (its samples keep it);
 * prom-client would rename the counter objects in place for that, which corrupts later text scrapes.
 */
function writeHeader(w: ByteWriter, name: string, help: string, type: string, openMetrics: boolean): void {
  const family = openMetrics && type === 'counter' && name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
  w.text('# HELP ');
  w.text(family);
  w.byte(SPACE);
  w.text(escapeHelp(help));
  w.text('\n# TYPE ');
  w.text(family);
  w.byte(SPACE);
  w.text(type);
  w.newline();
}

const SPACE = 32;

/** Thrown by a streamed family that must go through SeriesBounds instead. */
const OVER_BOUNDS = new Error('over the series bounds');

/** Moves the bytes from `from` to the end of the writer back to `to`, shifting those in between after them. */
function moveBack(w: ByteWriter, to: number, from: number): void {
  const moving = Buffer.from(w.buf.subarray(from, w.len));
  w.buf.copyWithin(to + moving.length, to, from);
  moving.copy(w.buf, to);
}

/** A family formatted by prom-client, in OpenMetrics: a counter's HELP and TYPE lines name it without `_total`. */
function openMetricsBlock(block: string): string {
  const type = /^# TYPE (\S+)_total counter$/m.exec(block);
  if (!type) return block;
  const name = type[1];
  return block.replace(`# HELP ${name}_total `, `# HELP ${name} `).replace(`# TYPE ${name}_total counter`, `# TYPE ${name} counter`);
}

/** Families shown when the full exposition cannot be built: how the pipeline itself is doing. */
const FALLBACK = /^modelwatch_(log_lines_total|log_line_errors_total|source_|checkpoint_|exposition_|build_info|series_dropped_total|analyzer_up)/;

export class Exposition {
  readonly bounds: SeriesBounds;
  /** Families that threw while collected or formatted, and whole renders that failed, since start. */
  errors = 0;
  /** The exposition's own metrics (truncations, caps, errors). */
  private readonly own = new Set<SnapshotMetric>();
  /**
   * The sample lines of each published family, by the family object: a family that did not change
   * keeps its object from one published capture to the next (unchanged-families.ts), and its lines.
   */
  private formatted = new WeakMap<CapturedFamily, Buffer>();
  private readonly lines = new Map<string, FamilyLines>();
  private readonly pool = new BufferPool();

  constructor(
    readonly registry: Registry,
    limits: SeriesLimits = DEFAULT_SERIES_LIMITS,
  ) {
    this.bounds = new SeriesBounds(limits);
    this.registerOwnMetrics();
  }

  private metrics(): unknown[] {
    return this.registry.getMetricsAsArray() as unknown[];
  }

  private snapshotMetrics(): SnapshotMetric[] {
    return this.metrics().filter((m): m is SnapshotMetric => m instanceof SnapshotMetric);
  }

  /** One family as of now, bounded; undefined (and counted) when its collector throws. */
  private collect(m: SnapshotMetric): CapturedFamily | undefined {
    try {
      const f = m.get();
      const family: CapturedFamily = { name: f.name, help: f.help, type: f.type, values: this.bounds.bound(f.name, f.values) };
      if (m.live) family.live = true;
      return family;
    } catch {
      this.errors++;
      return undefined;
    }
  }

  /** Every pipeline metric at this instant (synchronous: nothing runs in between). */
  capture(): CapturedFamily[] {
    const out: CapturedFamily[] = [];
    // Its own metrics last: they report on the capture of all the others.
    const metrics = this.snapshotMetrics();
    for (const m of [...metrics.filter((m) => !this.own.has(m)), ...metrics.filter((m) => this.own.has(m))]) {
      const f = this.collect(m);
      if (f) out.push(f);
    }
    return out;
  }

  /**
   * The full exposition as text; pipeline metrics from `captured` when given (a published
   * snapshot), except the live ones, always rendered as of now.
   */
  async render(captured?: CapturedFamily[]): Promise<string> {
    const body = await this.renderBody(captured);
    try {
      return body.bytes.toString('utf8');
    } catch {
      // "Cannot create a string longer than …": the bytes would not fit in a string.
      this.errors++;
      const fallback = this.renderFallback('text');
      return fallback.bytes.toString('utf8');
    } finally {
      body.release();
    }
  }

  /**
   * The full exposition as bytes, what /metrics sends; release() the body once it is sent. Text
   * 0.0.4 or OpenMetrics 1.0 (counter families named without `_total`, no blank lines, `# EOF`).
   */
  async renderBody(captured?: CapturedFamily[], format: ExpositionFormat = 'text'): Promise<ExpositionBody> {
    const w = this.pool.writer();
    try {
      await this.renderAll(w, captured, format === 'openmetrics');
      return this.pool.body(w);
    } catch {
      // A buffer that cannot grow any more, or anything else unforeseen.
      this.errors++;
      this.formatted = new WeakMap();
      return this.renderFallback(format);
    }
  }

  private async renderAll(w: ByteWriter, captured: CapturedFamily[] | undefined, openMetrics: boolean): Promise<void> {
    const metrics = this.metrics();
    // prom-client's metrics first (their collect may be async), so that the pipeline's are all
    // written in one synchronous step below: one instant of the pipeline.
    const formatted = new Map<unknown, string>();
    await Promise.all(
      metrics
        .filter((m) => !(m instanceof SnapshotMetric))
        .map(async (m) => {
          try {
            formatted.set(m, await (this.registry as unknown as FormattingRegistry).getMetricsAsString(m));
          } catch {
            this.errors++;
          }
        }),
    );
    const families = captured && new Map(captured.map((f) => [f.name, f]));
    const cache = captured ? this.formatted : undefined;
    // The exposition's own metrics report on the writing of all the others: written last, moved into place.
    const own: { at: number; m: SnapshotMetric; separator: boolean }[] = [];
    let first = true;
    for (const m of metrics) {
      const at = w.len;
      const separator = !first && !openMetrics;
      if (m instanceof SnapshotMetric) {
        if (this.own.has(m)) {
          own.push({ at, m, separator });
          first = false;
          continue;
        }
        if (separator) w.newline();
        const f = families && !m.live ? families.get(m.name) : undefined;
        const ok = families && !m.live ? f !== undefined && this.writeFamily(w, f, cache, openMetrics) : this.writeLive(w, m, openMetrics);
        if (ok) first = false;
        else w.len = at;
      } else {
        const text = formatted.get(m);
        if (text === undefined) continue;
        if (separator) w.newline();
        w.text(openMetrics ? openMetricsBlock(text) : text);
        w.newline();
        first = false;
      }
    }
    let moved = 0;
    for (const { at, m, separator } of own) {
      const start = w.len;
      if (separator) w.newline();
      if (!this.writeLive(w, m, openMetrics)) {
        w.len = start;
        continue;
      }
      moveBack(w, at + moved, start);
      moved += w.len - start;
    }
    if (openMetrics) w.text('# EOF\n');
  }

  /**
   * A family as of now. Streamed from its writer when it has one (no Sample objects), unless its
   * samples must be objects: counters carried over a restart (CounterBase), or a family over the
   * series bounds (a new series with a label value too long, more samples than the series limit),
   * which then goes through SeriesBounds as a whole. False (and counted) when it throws.
   */
  private writeLive(w: ByteWriter, m: SnapshotMetric, openMetrics: boolean): boolean {
    const write = m.write;
    if (!write || (m.base && m.type !== 'gauge')) {
      const f = this.collect(m);
      return f !== undefined && this.writeFamily(w, f, undefined, openMetrics);
    }
    const at = w.len;
    const lines = this.linesOf(m.name);
    const { maxLabelValueLength, maxSeriesPerMetric } = this.bounds.limits;
    const check = (labels: Sample['labels']) => {
      for (const k in labels) {
        const v = labels[k];
        if (typeof v === 'string' && v.length > maxLabelValueLength) throw OVER_BOUNDS;
      }
    };
    try {
      writeHeader(w, m.name, m.help, m.type, openMetrics);
      lines.begin();
      write((labels, value, metricName) => {
        if (lines.added >= maxSeriesPerMetric) throw OVER_BOUNDS;
        lines.add(w, metricName ?? m.name, labels, value, check);
      });
      lines.end();
      this.bounds.unbounded(m.name);
      return true;
    } catch (e) {
      w.len = at;
      lines.end();
      if (e !== OVER_BOUNDS) {
        this.errors++;
        return false;
      }
      const f = this.collect(m);
      return f !== undefined && this.writeFamily(w, f, undefined, openMetrics);
    }
  }

  private linesOf(name: string): FamilyLines {
    let lines = this.lines.get(name);
    if (!lines) this.lines.set(name, (lines = new FamilyLines()));
    return lines;
  }

  /** HELP, TYPE and the sample lines; the lines from (or into) `cache` when given. False (and counted) when it throws. */
  private writeFamily(w: ByteWriter, f: CapturedFamily, cache: WeakMap<CapturedFamily, Buffer> | undefined, openMetrics = false): boolean {
    const at = w.len;
    try {
      writeHeader(w, f.name, f.help, f.type, openMetrics);
      const cached = cache?.get(f);
      if (cached) {
        w.bytes(cached);
        return true;
      }
      const start = w.len;
      this.linesOf(f.name).write(w, f.name, f.values);
      cache?.set(f, Buffer.from(w.buf.subarray(start, w.len)));
      return true;
    } catch {
      this.errors++;
      w.len = at;
      return false;
    }
  }

  /** The self-metrics alone, each family bounded and written on its own. */
  private renderFallback(format: ExpositionFormat): ExpositionBody {
    const openMetrics = format === 'openmetrics';
    const w = new ByteWriter(Buffer.allocUnsafe(64 * 1024));
    let first = true;
    for (const m of this.snapshotMetrics()) {
      if (!FALLBACK.test(m.name)) continue;
      const f = this.collect(m);
      if (f === undefined) continue;
      const at = w.len;
      if (!first && !openMetrics) w.newline();
      if (this.writeFamily(w, f, undefined, openMetrics) && w.len - at < 1 << 24) first = false;
      else w.len = at;
    }
    if (openMetrics) w.text('# EOF\n');
    return { bytes: w.buf.subarray(0, w.len), release: () => undefined };
  }

  attachBase(base: CounterBase): void {
    for (const m of this.snapshotMetrics()) m.base = base;
  }

  private registerOwnMetrics(): void {
    const live = (m: SnapshotMetric) => {
      m.live = true;
      this.own.add(m);
    };
    const bounds = this.bounds;
    live(
      registerSnapshot(
        this.registry,
        'modelwatch_exposition_label_values_truncated',
        `Label values cut to metrics.max_label_value_length (${bounds.limits.maxLabelValueLength}) in the metric's last capture; the cut value ends with …# and a hash.`,
        'gauge',
        () => [...bounds.truncated].map(([metric, value]) => ({ labels: { metric }, value })),
      ),
    );
    live(
      registerSnapshot(
        this.registry,
        'modelwatch_exposition_series_capped',
        `Label sets left out of the metric's last capture: over metrics.max_series_per_metric (${bounds.limits.maxSeriesPerMetric}), or equal to another once cut.`,
        'gauge',
        () => [...bounds.capped].map(([metric, value]) => ({ labels: { metric }, value })),
      ),
    );
    live(
      registerSnapshot(this.registry, 'modelwatch_exposition_errors_total', 'Metric families that failed to collect or format, and renders that fell back to the self-metrics.', 'counter', () => [
        { labels: {}, value: this.errors },
      ]),
    );
  }
}
