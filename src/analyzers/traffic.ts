/**
 * Traffic: requests by outcome and status class, latency histogram, prediction errors by reason.
 * Hot path is plain arithmetic on per-model state; samples are rendered at scrape time.
 */
import { BoundedValues, labelValue } from '../metrics/cardinality.js';
import { HistogramState } from '../metrics/histogram-state.js';
import { registerSnapshot, type Sample } from '../metrics/snapshot-metric.js';
import { isFailedRequest } from '../core/failed-request.js';
import { statusClass } from '../core/status-code.js';
import type { ModelRecord } from '../records/model-record.js';
import type { Analyzer, AnalyzerContext, AnalyzerFactory } from './analyzer.js';
import { ModelSeries } from './model-series.js';

const MAX_ERROR_REASONS = 20;

/** Outcome × status class: slot = (failed ? CLASSES : 0) + class, class 0 `unknown`, 1–5 `1xx`–`5xx`. */
const CLASSES = 6;

function classSlot(status: number | undefined): number {
  return status === undefined || !Number.isFinite(status) || status < 100 || status > 599 ? 0 : Math.floor(status / 100);
}

interface TrafficState {
  /** Requests per outcome × status class slot; no key is built per record. */
  requests: Float64Array;
  /** Slots in the order first seen: the order of the exposed series. */
  seenSlots: number[];
  latency: HistogramState;
  errors: Map<string, number>;
  reasons: BoundedValues;
}

export class TrafficAnalyzer implements Analyzer {
  private readonly series: ModelSeries<TrafficState>;

  constructor(private readonly ctx: AnalyzerContext) {
    const buckets = [...ctx.config.metrics.latency_buckets].sort((a, b) => a - b);
    this.series = new ModelSeries(() => {
      const reasons = new BoundedValues(MAX_ERROR_REASONS);
      ctx.cardinality?.track('modelwatch_prediction_errors_total', reasons);
      return { requests: new Float64Array(2 * CLASSES), seenSlots: [], latency: new HistogramState(buckets), errors: new Map(), reasons };
    }, 100, () => ctx.clock.now());
    ctx.cardinality?.track('modelwatch_requests_total', this.series);
    const { registry } = ctx;
    registerSnapshot(
      registry,
      'modelwatch_requests_total',
      'Inference requests seen in the logs, by outcome (success, error) and HTTP status class.',
      'counter',
      () => this.requestSamples(),
    );
    registerSnapshot(
      registry,
      'modelwatch_request_duration_seconds',
      'Inference request latency as logged by the model server (or response time minus request time).',
      'histogram',
      () => this.latencySamples(),
    );
    registerSnapshot(
      registry,
      'modelwatch_prediction_errors_total',
      'Failed predictions by reason (the logged error, truncated, capped at 20 reasons per model).',
      'counter',
      () => this.errorSamples(),
    );
  }

  onRecord(r: ModelRecord): void {
    const s = this.series.get(r.model, r.version);
    const failed = isFailedRequest(r.status, r.error);
    const slot = (failed ? CLASSES : 0) + classSlot(r.status);
    if (s.requests[slot]++ === 0) s.seenSlots.push(slot);
    if (r.latencySeconds !== undefined && Number.isFinite(r.latencySeconds) && r.latencySeconds >= 0) {
      s.latency.observe(r.latencySeconds);
    }
    if (failed) {
      const reason = s.reasons.admit(r.error ? labelValue(r.error, 48) : `http_${statusClass(r.status)}`);
      s.errors.set(reason, (s.errors.get(reason) ?? 0) + 1);
    }
  }

  modelVersions(): number {
    return this.series.size;
  }

  /** Whether an idle series was dropped (its samples leave /metrics). */
  tick(now: number): boolean {
    return this.series.evictIdle(now, this.ctx.config.metrics.stale_series_after * 1000) > 0;
  }

  private *requestSamples(): Iterable<Sample> {
    for (const [{ model, version }, s] of this.series.entries()) {
      for (const slot of s.seenSlots) {
        const outcome = slot >= CLASSES ? 'error' : 'success';
        const c = slot % CLASSES;
        yield { labels: { model, version, outcome, code: c === 0 ? 'unknown' : `${c}xx` }, value: s.requests[slot] };
      }
    }
  }

  private *latencySamples(): Iterable<Sample> {
    for (const [{ model, version }, s] of this.series.entries()) {
      if (s.latency.count > 0) yield* s.latency.samples('modelwatch_request_duration_seconds', { model, version });
    }
  }

  private *errorSamples(): Iterable<Sample> {
    for (const [{ model, version }, s] of this.series.entries()) {
      for (const [reason, value] of s.errors) yield { labels: { model, version, reason }, value };
    }
  }
}

export const trafficAnalyzer: AnalyzerFactory = {
  name: 'traffic',
  defaultEnabled: true,
  enabled: () => true,
  create: (ctx) => new TrafficAnalyzer(ctx),
};
