/**
 * Renders the registry in the Prometheus text format. The pipeline's own metrics (SnapshotMetric)
 * are captured synchronously, so one exposition shows one instant of the pipeline; prom-client's
 * process metrics and the resource collectors are rendered by prom-client as usual.
 */
import type { Registry } from 'prom-client';
import type { CounterBase } from '../metrics/counter-base.js';
import { SnapshotMetric, type Sample } from '../metrics/snapshot-metric.js';

/** prom-client formats one metric with this method; it is public JavaScript but missing from its types. */
type FormattingRegistry = { getMetricsAsString(metric: unknown): Promise<string> };

export interface CapturedFamily {
  name: string;
  help: string;
  type: string;
  values: Sample[];
}

function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabel(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** One family as prom-client writes it (HELP, TYPE, samples), without a trailing newline. */
export function formatFamily(f: CapturedFamily): string {
  const lines = [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`];
  for (const s of f.values) {
    const labels = Object.entries(s.labels);
    const body = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(String(v))}"`).join(',')}}` : '';
    lines.push(`${s.metricName ?? f.name}${body} ${formatValue(s.value)}`);
  }
  return lines.join('\n');
}

export class Exposition {
  constructor(readonly registry: Registry) {}

  private metrics(): unknown[] {
    return this.registry.getMetricsAsArray() as unknown[];
  }

  private snapshotMetrics(): SnapshotMetric[] {
    return this.metrics().filter((m): m is SnapshotMetric => m instanceof SnapshotMetric);
  }

  /** Every pipeline metric at this instant (synchronous: nothing runs in between). */
  capture(): CapturedFamily[] {
    return this.snapshotMetrics().map((m) => m.get());
  }

  /**
   * The full exposition; pipeline metrics from `captured` when given (a published snapshot), except
   * the live ones, always rendered as of now.
   */
  async render(captured?: CapturedFamily[]): Promise<string> {
    const families = new Map((captured ?? this.capture()).map((f) => [f.name, f]));
    const blocks: string[] = [];
    for (const m of this.metrics()) {
      if (m instanceof SnapshotMetric) {
        const f = captured && m.live ? m.get() : families.get(m.name);
        if (f) blocks.push(formatFamily(f));
      } else {
        blocks.push(await (this.registry as unknown as FormattingRegistry).getMetricsAsString(m));
      }
    }
    return `${blocks.join('\n\n')}\n`;
  }

  attachBase(base: CounterBase): void {
    for (const m of this.snapshotMetrics()) m.base = base;
  }
}
