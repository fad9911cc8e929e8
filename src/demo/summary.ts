/**
 * The demo's live line: records/s, p95 latency, errors (failed requests and torn log lines), drifted
 * features and MAE against the reference's, read back from the registry's JSON so it shows exactly
 * what /metrics shows.
 */
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

export interface Summary {
  at: number;
  records: number;
  /** Failed requests plus skipped lines: every error the user can see in the logs. */
  errors: number;
  /** Requests that failed (status >= 400 or an error). */
  failed: number;
  /** Lines skipped (torn writes and other log_line_errors_total). */
  skipped: number;
  p95Seconds: number;
  ratePerSecond: number;
  /** Features drifted / features with a verdict in the window; undefined before the first verdict. */
  drift?: { drifted: number; features: number };
  /** MAE over the window's joined labels, and the reference's; undefined before enough labels. */
  mae?: number;
  maeReference?: number;
}

type Metrics = MetricObjectWithValues<MetricValue<string>>[];

function values(json: Metrics, name: string): MetricValue<string>[] {
  return json.find((m) => m.name === name)?.values ?? [];
}

/** Quantile from cumulative buckets, interpolated linearly inside the bucket as Prometheus does. */
export function bucketQuantile(q: number, buckets: { le: number; count: number }[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) return 0;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return prevLe;
      return prevLe + ((b.le - prevLe) * (rank - prevCount)) / Math.max(b.count - prevCount, 1e-12);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

export function summarize(json: Metrics, now: number, previous?: Summary, window?: string): Summary {
  let records = 0;
  let failed = 0;
  for (const v of values(json, 'modelwatch_requests_total')) {
    records += v.value;
    if (v.labels.outcome === 'error') failed += v.value;
  }
  let skipped = 0;
  for (const v of values(json, 'modelwatch_log_line_errors_total')) skipped += v.value;
  let drift: Summary['drift'];
  for (const v of values(json, 'modelwatch_feature_drifted')) {
    if (window !== undefined && v.labels.window !== window) continue;
    drift ??= { drifted: 0, features: 0 };
    drift.features++;
    if (v.value === 1) drift.drifted++;
  }
  const mae = values(json, 'modelwatch_model_quality').find((v) => v.labels.metric === 'mae' && v.labels.segment === undefined && (window === undefined || v.labels.window === window))?.value;
  const maeReference = values(json, 'modelwatch_model_quality_reference').find((v) => v.labels.metric === 'mae')?.value;
  const byLe = new Map<number, number>();
  for (const v of values(json, 'modelwatch_request_duration_seconds')) {
    if ((v as { metricName?: string }).metricName !== 'modelwatch_request_duration_seconds_bucket') continue;
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + v.value);
  }
  const p95Seconds = bucketQuantile(0.95, [...byLe].map(([le, count]) => ({ le, count })));
  const ratePerSecond = previous ? ((records - previous.records) * 1000) / Math.max(now - previous.at, 1) : 0;
  return { at: now, records, errors: failed + skipped, failed, skipped, p95Seconds, ratePerSecond, drift, mae, maeReference };
}

/** `records/s 25.0 | p95 28.1 ms | errors 3 (2 failed, 1 torn) | drift 3/6 features (30s) | MAE 3.42 vs 2.61 reference`. */
export function formatSummary(s: Summary, window: string): string {
  const drift = s.drift ? `${s.drift.drifted}/${s.drift.features} features drifted (${window})` : `no verdict yet (${window})`;
  const mae = s.mae === undefined ? 'waiting for labels' : `${s.mae.toFixed(2)}${s.maeReference === undefined ? '' : ` vs ${s.maeReference.toFixed(2)} reference`}`;
  return [
    `records/s ${s.ratePerSecond.toFixed(1).padStart(5)}`,
    `p95 ${(s.p95Seconds * 1000).toFixed(1).padStart(6)} ms`,
    `errors ${s.errors} (${s.failed} failed, ${s.skipped} torn)`,
    `drift ${drift}`,
    `MAE ${mae}`,
  ].join(' | ');
}
