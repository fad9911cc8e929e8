/** One exposed sample and the metric types: the vocabulary shared by snapshot metrics and the counter base. */

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface Sample {
  labels: Record<string, string | number>;
  value: number;
  /** For histograms: `<name>_bucket`, `<name>_sum`, `<name>_count`. */
  metricName?: string;
}
