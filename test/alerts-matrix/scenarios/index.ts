/** The scenario matrix, in the order: one entry per scenario file. */
import { classifierAccuracy } from './classifier-accuracy.js';
import { errorBursts } from './error-bursts.js';
import { gradualDrift } from './gradual-drift.js';
import { hoveringDrift } from './hovering-drift.js';
import { labelsStop } from './labels-stop.js';
import { latencyTriples } from './latency.js';
import { logStalled } from './log-stalled.js';
import { lowTraffic } from './low-traffic.js';
import { memoryOom } from './memory-oom.js';
import { missingFeature } from './missing-feature.js';
import { namespaces } from './namespaces.js';
import { newCategory } from './new-category.js';
import { noFiles } from './no-files.js';
import { regressionAging } from './regression-aging.js';
import { replicas } from './replicas.js';
import type { Scenario } from './scenario.js';
import { stationaryDay } from './stationary-day.js';

export const SCENARIOS: readonly Scenario[] = [
  classifierAccuracy,
  regressionAging,
  gradualDrift,
  hoveringDrift,
  stationaryDay,
  errorBursts,
  lowTraffic,
  latencyTriples,
  missingFeature,
  newCategory,
  labelsStop,
  logStalled,
  noFiles,
  replicas,
  namespaces,
  memoryOom,
];
