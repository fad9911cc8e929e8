/**
 * One model version's model-quality state: its task and class table, prediction counts, the
 * windows of joined pairs and of scores (for CBPE), the concept-drift detectors, the label delay
 * histogram, and what the last tick computed from them.
 */
import type { DetectorConfig, QualityConfig } from '../../config/quality-schema.js';
import { HistogramState } from '../../exposition/histogram-state.js';
import { createDetector, detectors as detectorList, type DriftDetector } from '../../stats/detectors/index.js';
import type { WindowSpec } from '../../windows/feature-drift.js';
import { pairWindow, type PairWindow } from '../../windows/pair-window.js';
import { ClassTable } from './class-table.js';
import type { FairnessResult } from './fairness.js';
import type { QualityValue } from './window-quality.js';

export type Task = 'classification' | 'regression';

export interface WatchedDetector {
  name: string;
  /** 'binary' detectors see 0/1 misses; 'real' ones the error itself. */
  input: 'binary' | 'real';
  detector: DriftDetector;
  /** Highest state since the last tick (a drift is a one-update event; scrapes must still see it). */
  latched: number;
  /** Exported state: the latched state as of the last tick. */
  state: number;
}

export interface WindowQuality {
  samples: number;
  values: QualityValue[];
  /** segment label → values. */
  segments: Map<string, QualityValue[]>;
  estimated: QualityValue[];
  fairness: FairnessResult | undefined;
}

export class ModelQualityState {
  task: Task | undefined;
  readonly classes: ClassTable;
  /** Class index → predictions counted. */
  readonly predictions: number[] = [];
  readonly windows: PairWindow[];
  readonly scoreWindows: PairWindow[];
  readonly detectors: WatchedDetector[];
  readonly delay: HistogramState;
  /** A single positive-class score was logged (binary model). */
  binaryScores = false;
  results: WindowQuality[];

  constructor(
    readonly quality: QualityConfig,
    specs: readonly WindowSpec[],
    groupColumns: number,
    detectorConfigs: readonly DetectorConfig[],
  ) {
    this.task = quality.task === 'auto' ? undefined : quality.task;
    this.classes = new ClassTable(quality.classes, quality.max_classes);
    this.windows = specs.map((s) => pairWindow(s, quality.max_window_pairs, groupColumns));
    this.scoreWindows = specs.map((s) => pairWindow(s, quality.max_window_pairs));
    this.detectors = detectorConfigs.map((d) => ({
      name: d.name,
      input: detectorList.find((x) => x.name === d.name)?.input ?? 'real',
      detector: createDetector(d.name, d.options),
      latched: 0,
      state: 0,
    }));
    this.delay = new HistogramState([...quality.labels.delay_buckets].sort((a, b) => a - b));
    this.results = specs.map(() => ({ samples: 0, values: [], segments: new Map(), estimated: [], fairness: undefined }));
  }

  countPrediction(cls: number): void {
    while (this.predictions.length <= cls) this.predictions.push(0);
    this.predictions[cls]++;
  }

  /** Feeds one per-record error to every detector that takes it. */
  observeError(error: number, miss: boolean | undefined): void {
    for (const d of this.detectors) {
      if (d.input === 'binary') {
        if (miss === undefined) continue;
        d.detector.update(miss ? 1 : 0);
      } else {
        d.detector.update(error);
      }
      if (d.detector.state > d.latched) d.latched = d.detector.state;
    }
  }
}
