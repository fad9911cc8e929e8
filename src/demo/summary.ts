/**
 * The demo's live line: records/s, p95 latency and errors, read back from the registry's JSON so
 * it shows exactly what /metrics shows.
 */
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

export interface Summary {
  at: number;
  records: number;
  errors: number;
  p95Seconds: number;
  ratePerSecond: number;
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

export function summarize(json: Metrics, now: number, previous?: Summary): Summary {
  let records = 0;
  let errors = 0;
  for (const v of values(json, 'modelwatch_requests_total')) {
    records += v.value;
    if (v.labels.outcome === 'error') errors += v.value;
  }
  const byLe = new Map<number, number>();
  for (const v of values(json, 'modelwatch_request_duration_seconds')) {
    if ((v as { metricName?: string }).metricName !== 'modelwatch_request_duration_seconds_bucket') continue;
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + v.value);
  }
  const p95Seconds = bucketQuantile(0.95, [...byLe].map(([le, count]) => ({ le, count })));
  const ratePerSecond = previous ? ((records - previous.records) * 1000) / Math.max(now - previous.at, 1) : 0;
  return { at: now, records, errors, p95Seconds, ratePerSecond };
}
