/**
 * One model version's model-quality state: its task and class table, prediction counts, the
 * windows of joined pairs and of scores (for CBPE), the concept-drift detectors, the label delay
 * histogram, and what the last tick computed from them.
 */
import type { DetectorConfig, QualityConfig } from '../../config/quality-schema.js';
import { HistogramState } from '../../metrics/histogram-state.js';
import { createDetector, detectors as detectorList, type DriftDetector } from '../../stats/detectors/index.js';
import type { WindowSpec } from '../../windows/feature-drift.js';
import { pairWindow, type PairWindow, type PairWindowState } from '../../windows/pair-window.js';
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

/** What survives a restart (counts are counters, carried over by the exposition; results come from the next tick). */
export interface SavedModelQuality {
  task: Task | null;
  binaryScores: boolean;
  classes: string[];
  /** Window label → joined pairs; and the scores of all predictions (CBPE's input). */
  windows: Record<string, PairWindowState>;
  scoreWindows: Record<string, PairWindowState>;
  /** Multiclass score vectors: per window label, one window per configured class. */
  classScoreWindows?: Record<string, PairWindowState[]>;
  detectors: { name: string; latched: number; state: number; detector: unknown }[];
}

/** Called for each part of a saved state that does not fit and is left empty. */
export type SkipReport = (part: string, err: unknown) => void;

const isDetectorState = (x: unknown): x is 0 | 1 | 2 => x === 0 || x === 1 || x === 2;

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
  /**
   * Multiclass CBPE's input, created when the first score vector with one score per configured
   * class arrives: per window, one score window per class, pushed in lockstep (same times, same
   * capacity, so they hold the same records); each pair holds the predicted class index (−1: not a
   * configured class) and that class's score.
   */
  classScoreWindows: PairWindow[][] | undefined;
  results: WindowQuality[];
  private readonly windowLabels: string[];
  private readonly specs: readonly WindowSpec[];

  constructor(
    readonly quality: QualityConfig,
    specs: readonly WindowSpec[],
    groupColumns: number,
    detectorConfigs: readonly DetectorConfig[],
  ) {
    this.task = quality.task === 'auto' ? undefined : quality.task;
    this.windowLabels = specs.map((s) => s.label);
    this.specs = specs;
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

  snapshot(): SavedModelQuality {
    const windows: Record<string, PairWindowState> = {};
    const scoreWindows: Record<string, PairWindowState> = {};
    this.windowLabels.forEach((label, w) => {
      windows[label] = this.windows[w].snapshot();
      scoreWindows[label] = this.scoreWindows[w].snapshot();
    });
    const classScoreWindows = this.classScoreWindows && Object.fromEntries(this.windowLabels.map((label, w) => [label, this.classScoreWindows![w].map((c) => c.snapshot())]));
    return {
      task: this.task ?? null,
      binaryScores: this.binaryScores,
      classes: this.classes.snapshot(),
      windows,
      scoreWindows,
      ...(classScoreWindows && { classScoreWindows }),
      detectors: this.detectors.map((d) => ({ name: d.name, latched: d.latched, state: d.state, detector: d.detector.snapshot() })),
    };
  }

  /**
   * Puts back what fits the current config, part by part: windows by label, detectors by name (in
   * order). Pair windows hold class indices, so they are restored only when the task and the class
   * table agree; `keepSegments` false drops their saved segment codes (the segment fields changed).
   */
  restore(saved: SavedModelQuality, keepSegments: boolean, skip: SkipReport): void {
    let pairsFit = true;
    if (saved.task !== null && saved.task !== undefined) {
      if (saved.task !== 'classification' && saved.task !== 'regression') {
        pairsFit = false;
        skip('task', new Error(`saved task ${String(saved.task)} is not classification or regression`));
      } else if (this.task === undefined) this.task = saved.task;
      else if (this.task !== saved.task) {
        pairsFit = false;
        skip('windows', new Error(`saved task ${saved.task}, now ${this.task}`));
      }
    }
    this.binaryScores ||= saved.binaryScores === true;
    try {
      this.classes.restore(saved.classes);
    } catch (err) {
      if (this.task === 'classification') pairsFit = false;
      skip('classes', err);
    }
    this.windowLabels.forEach((label, w) => {
      const pairs = saved.windows?.[label];
      if (pairs && pairsFit) {
        try {
          this.windows[w].restore(keepSegments ? pairs : { ...pairs, segments: undefined });
        } catch (err) {
          skip(`window ${label}`, err);
        }
      }
      const scores = saved.scoreWindows?.[label];
      if (scores) {
        try {
          this.scoreWindows[w].restore(scores);
        } catch (err) {
          skip(`score window ${label}`, err);
        }
      }
      const classScores = saved.classScoreWindows?.[label];
      if (classScores) {
        try {
          const k = this.quality.classes?.length;
          if (!Array.isArray(classScores) || classScores.length !== k) throw new Error(`saved ${String(classScores.length)} class score windows, ${k ?? 'no'} classes configured now`);
          const windows = this.multiclassWindows(k)[w];
          classScores.forEach((saved, c) => windows[c].restore(saved));
        } catch (err) {
          // The class windows must hold the same records: one that did not restore empties them all.
          if (this.classScoreWindows) this.classScoreWindows[w] = this.classScoreWindows[w].map(() => pairWindow(this.specs[w], this.quality.max_window_pairs));
          skip(`class score windows ${label}`, err);
        }
      }
    });
    const unused = [...(saved.detectors ?? [])];
    for (const d of this.detectors) {
      const i = unused.findIndex((u) => u.name === d.name);
      if (i < 0) continue;
      const [s] = unused.splice(i, 1);
      try {
        if (!isDetectorState(s.latched) || !isDetectorState(s.state)) throw new Error(`saved states ${s.latched}/${s.state} are not 0, 1 or 2`);
        d.detector.restore(s.detector);
        d.latched = s.latched;
        d.state = s.state;
      } catch (err) {
        skip(`detector ${d.name}`, err);
      }
    }
  }

  /** The per-class score windows for `classes` classes, created on first use. */
  multiclassWindows(classes: number): PairWindow[][] {
    this.classScoreWindows ??= this.specs.map((s) => Array.from({ length: classes }, () => pairWindow(s, this.quality.max_window_pairs)));
    return this.classScoreWindows;
  }

  /** One record's score vector (one score per configured class) and its predicted class index. */
  pushClassScores(t: number, predicted: number, scores: readonly number[]): void {
    for (const windows of this.multiclassWindows(scores.length)) {
      for (let c = 0; c < scores.length; c++) windows[c].push(t, NaN, predicted, scores[c]);
    }
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
