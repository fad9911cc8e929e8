/**
 * The explicit list of analyzers, in the order records reach them. Adding one is a file plus a line
 * here; nothing registers itself by being imported.
 */
import type { AnalyzerFactory } from './analyzer.js';
import { customMetricsAnalyzer } from './custom-metrics.js';
import { dataQualityAnalyzer } from './data-quality.js';
import { driftAnalyzer } from './drift.js';
import { modelQualityAnalyzer } from './model-quality.js';
import { trafficAnalyzer } from './traffic.js';

export const ANALYZERS: readonly AnalyzerFactory[] = [
  trafficAnalyzer,
  driftAnalyzer,
  dataQualityAnalyzer,
  modelQualityAnalyzer,
  customMetricsAnalyzer,
];
