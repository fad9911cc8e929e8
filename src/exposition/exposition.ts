/**
 * Renders the registry in the Prometheus text format. The pipeline's own metrics (SnapshotMetric)
 * are captured synchronously, so one exposition shows one instant of the pipeline; prom-client's
 * process metrics and the resource collectors are rendered by prom-client as usual.
 *
 * Log content can never take /metrics down: every captured family is bounded (label value length,
 * label sets per family; metrics/series-bounds.ts), a family that fails to collect or format is left
 * out and counted, and if the whole text cannot be built (it is too long for a string), the answer
 * is the pipeline's self-metrics with the error count instead of a 500 on every scrape.
 *
 * A published snapshot is formatted once: scrapes between two checkpoint writes reuse its text.
 */
import type { Registry } from 'prom-client';
import type { CounterBase } from '../metrics/counter-base.js';
import { DEFAULT_SERIES_LIMITS, SeriesBounds, type SeriesLimits } from '../metrics/series-bounds.js';
import { registerSnapshot, SnapshotMetric, type Sample } from '../metrics/snapshot-metric.js';

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

function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabel(s: string): string {
  // Nearly no label value holds a backslash, newline or quote: test once, replace only then.
  return NEEDS_ESCAPE.test(s) ? s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : s;
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * One family as prom-client writes it (HELP, TYPE, samples), without a trailing newline. Each line
 * is appended piece by piece (no array of label entries or joins per sample), and the lines are
 * joined once: a 6,000-series scrape formats in a fifth of the time. One string appended to for the
 * whole family would be a rope of ~50,000 pieces, slower to flatten than the lines are to join.
 */
export function formatFamily(f: CapturedFamily): string {
  const lines = [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`];
  for (const s of f.values) {
    let line = s.metricName ?? f.name;
    let open = false;
    const labels = s.labels;
    // Label objects are plain literals (no inherited enumerable keys): for-in gives Object.entries' order.
    for (const k in labels) {
      const v = labels[k];
      line += (open ? ',' : '{') + k + '="' + (typeof v === 'string' ? escapeLabel(v) : String(v)) + '"';
      open = true;
    }
    lines.push(line + (open ? '} ' : ' ') + formatValue(s.value));
  }
  return lines.join('\n');
}

/** Families shown when the full exposition cannot be built: how the pipeline itself is doing. */
const FALLBACK = /^modelwatch_(log_lines_total|log_line_errors_total|source_|checkpoint_|exposition_|build_info|series_dropped_total|analyzer_up)/;

export class Exposition {
  readonly bounds: SeriesBounds;
  /** Families that threw while collected or formatted, and whole renders that failed, since start. */
  errors = 0;
  /** The exposition's own metrics (truncations, caps, errors). */
  private readonly own = new Set<SnapshotMetric>();
  /** The published snapshot last formatted, and its text per family. */
  private formatted: { captured: CapturedFamily[]; text: Map<string, string> } | undefined;

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
   * The full exposition; pipeline metrics from `captured` when given (a published snapshot), except
   * the live ones, always rendered as of now.
   */
  async render(captured?: CapturedFamily[]): Promise<string> {
    try {
      return await this.renderAll(captured);
    } catch {
      // Typically "Invalid string length": the text would not fit in a string.
      this.errors++;
      this.formatted = undefined;
      return this.renderFallback();
    }
  }

  private async renderAll(captured: CapturedFamily[] | undefined): Promise<string> {
    const families = new Map((captured ?? this.capture()).map((f) => [f.name, f]));
    if (captured && this.formatted?.captured !== captured) this.formatted = { captured, text: new Map() };
    const cache = captured ? this.formatted!.text : undefined;
    const blocks: string[] = [];
    for (const m of this.metrics()) {
      if (m instanceof SnapshotMetric) {
        const block = captured && m.live ? this.formatLive(m) : this.formatCached(families.get(m.name), cache);
        if (block !== undefined) blocks.push(block);
      } else {
        try {
          blocks.push(await (this.registry as unknown as FormattingRegistry).getMetricsAsString(m));
        } catch {
          this.errors++;
        }
      }
    }
    return `${blocks.join('\n\n')}\n`;
  }

  private formatCached(f: CapturedFamily | undefined, cache: Map<string, string> | undefined): string | undefined {
    if (!f) return undefined;
    let text = cache?.get(f.name);
    if (text === undefined) {
      text = this.format(f);
      if (text !== undefined) cache?.set(f.name, text);
    }
    return text;
  }

  private formatLive(m: SnapshotMetric): string | undefined {
    const f = this.collect(m);
    return f && this.format(f);
  }

  private format(f: CapturedFamily): string | undefined {
    try {
      return formatFamily(f);
    } catch {
      this.errors++;
      return undefined;
    }
  }

  /** The self-metrics alone, each family bounded and formatted on its own. */
  private renderFallback(): string {
    const blocks: string[] = [];
    for (const m of this.snapshotMetrics()) {
      if (!FALLBACK.test(m.name)) continue;
      const block = this.formatLive(m);
      if (block !== undefined && block.length < 1 << 24) blocks.push(block);
    }
    return `${blocks.join('\n\n')}\n`;
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
