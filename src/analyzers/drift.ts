/**
 * Data and prediction drift. Each record's features are binned into rolling windows per
 * (model, version, feature); on the drift tick every window is compared with the reference profile
 * by the configured methods, and /metrics reads the stored results. Without a reference file, the
 * first `warmup_records` records of each model version become its reference.
 */
import { sameValue } from '../core/same-value.js';
import { ColumnPositions } from '../core/feature-columns.js';
import { formatDuration } from '../config/units.js';
import { featureThresholds, type DriftConfig, type FeatureConfig } from '../config/drift-schema.js';
import type { ModelRecord } from '../records/model-record.js';
import type { DriftMethodName } from '../stats/methods/index.js';
import { FeatureBinner } from '../windows/feature-binner.js';
import { FeatureDrift, type WindowSpec } from '../windows/feature-drift.js';
import { MultivariateDrift } from '../windows/multivariate-drift.js';
import { CountWindow } from '../windows/count-window.js';
import { summaryKey, type SharedSummaries } from '../windows/shared-summaries.js';
import type { RollingWindow } from '../windows/window.js';
import { buildProfile, type FeatureProfile, type RawValue, type ReferenceProfile } from '../windows/reference-profile.js';
import { reconstructionOptions, referenceOf } from '../windows/reference-loader.js';
import { referenceWarnings } from '../windows/reference-checks.js';
import { WarmupRows } from '../windows/warmup-rows.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import type { Analyzer, AnalyzerContext, AnalyzerFactory } from './analyzer.js';
import { registerDriftMetrics } from './drift-metrics.js';
import type { ModelDrift } from './model-drift.js';
import { ModelSeries, type ModelKey } from './model-series.js';
import { isFailedRequest } from '../core/failed-request.js';
import { CachedJson, cachedValue } from '../core/cached-json.js';
import { StagedRecords } from './staged-records.js';

export const PREDICTION = '__prediction__';

/**
 * Records a model version stages before its feature windows take them (staged-records.ts): 256 × 20
 * features is 40 kB a model version, and a window's loop over 256 records costs little more than
 * its setup, so a longer run gains nothing measurable.
 */
export const STAGED_RECORDS = 256;

export interface DriftOptions {
  /** Records staged per model version before a flush (1: each record goes into the windows as it arrives). */
  stagedRecords?: number;
}

interface SavedModel {
  model: string;
  version: string;
  warmup?: { rows: Record<string, RawValue[]>; count: number };
  /** The warm-up profile as saved before it was journaled (inline); still restored. */
  profile?: ReferenceProfile;
  /**
   * The warm-up profile: in a snapshot not yet written, with its JSON kept (same text), which the
   * checkpoint writes to a journal once and then names (core/cached-json.ts); read from a file, the
   * journal. Not under `profile`: an earlier version, which cannot read the journal, ignores it and
   * builds its warm-up reference again rather than restore a profile it cannot read.
   */
  warmupReference?: CachedJson<ReferenceProfile> | unknown;
  features: Record<string, unknown>;
  prediction?: unknown;
  multivariate?: unknown;
}

/** The checkpoint journal of a model version's warm-up profile (written once per process, then named: core/cached-json.ts). */
function profileJournalKey(model: string, version: string): string {
  return `reference-profile\u0000${model}\u0000${version}`;
}

/** Startup: the features and their types, the rows, and what looks wrong with the reference (warned). */
function logReference(logger: Logger, ref: ReferenceProfile, config: Config): void {
  const features = Object.fromEntries(Object.entries(ref.features).map(([name, f]) => [name, f.type]));
  logger.info({ path: config.reference.path, rows: ref.rows, bins: ref.bins, features, prediction: ref.prediction ? config.reference.prediction_column : undefined }, `reference profile loaded: ${ref.rows} rows, features ${Object.keys(features).join(', ')}`);
  for (const w of referenceWarnings(ref, config)) logger.warn({ path: config.reference.path, check: w.kind }, w.message);
}

export function windowSpecs(drift: DriftConfig): WindowSpec[] {
  return drift.windows.map((w) => ({
    label: w.name ?? (w.duration !== undefined ? formatDuration(w.duration) : `last_${w.count}`),
    seconds: w.duration,
    count: w.count,
  }));
}

export class DriftAnalyzer implements Analyzer {
  readonly specs: WindowSpec[];
  readonly series: ModelSeries<ModelDrift>;
  private reference: ReferenceProfile | undefined;
  private readonly featureConfig = new Map<string, FeatureConfig>();
  private newestEvent = 0;
  /** `auto` calibrations may start until this performance.now() time (drift.calibration_budget per tick). */
  private calibrationDeadline = Infinity;
  private readonly stagedRecords: number;
  /** Model versions with staged records (flush() empties them). */
  private readonly staging: ModelDrift[] = [];

  constructor(
    private readonly ctx: AnalyzerContext,
    options: DriftOptions = {},
  ) {
    this.stagedRecords = Math.max(1, options.stagedRecords ?? STAGED_RECORDS);
    const { config } = ctx;
    this.specs = windowSpecs(config.drift);
    for (const f of config.features ?? []) this.featureConfig.set(f.name, f);
    this.reference = referenceOf(config);
    if (this.reference) logReference(ctx.logger, this.reference, config);
    this.series = new ModelSeries((key) => this.newModel(key), 100, () => ctx.clock.now());
    ctx.cardinality?.track('modelwatch_feature_drift_score', this.series);
    if (ctx.summaries) ctx.summaries.driftWindow = (model, version, feature, count) => this.countWindow(model, version, feature, count);
    registerDriftMetrics(ctx.registry, this);
  }

  /** The share of drifted features at which the dataset counts as drifted (a threshold, from config). */
  get datasetDriftThreshold(): number {
    return this.drift.dataset_drift_share;
  }

  private get drift(): DriftConfig {
    return this.ctx.config.drift;
  }

  private newModel(key: ModelKey): ModelDrift {
    const m: ModelDrift = { key, features: new Map(), featureNames: [], featureDrifts: [], datasetShare: this.specs.map(() => undefined) };
    if (this.reference) this.attach(m, this.reference);
    else m.warmup = new WarmupRows(this.ctx.config.reference.warmup_records, PREDICTION);
    return m;
  }

  private featureDrift(name: string, profile: FeatureProfile, maxNew: number, bins: number): FeatureDrift {
    const fc = this.featureConfig.get(name);
    // No folding by the reference's own counts: the scorer folds rare categories by the pooled counts.
    const binner = new FeatureBinner(profile, maxNew);
    // A sample built here is a Float64Array already (SampleValues): shared, not copied.
    const refSorted = profile.type !== 'numeric' ? new Float64Array(0) : profile.sample instanceof Float64Array ? profile.sample : Float64Array.from(profile.sample);
    const methods = (fc?.methods ?? this.drift.methods) as DriftMethodName[];
    return new FeatureDrift(binner, refSorted, this.specs, {
      methods,
      primary: (fc?.primary_method ?? this.drift.primary_method) as DriftMethodName,
      thresholds: featureThresholds(this.drift, fc),
      falseAlarmRate: this.drift.false_alarm_rate,
      bins,
      mayCalibrate: () => performance.now() < this.calibrationDeadline,
      minSamples: this.drift.min_samples,
      maxWindowValues: this.drift.max_window_values,
      minCategoryCount: this.drift.min_category_count,
    });
  }

  private attach(m: ModelDrift, ref: ReferenceProfile): void {
    const wanted = this.ctx.config.features?.map((f) => f.name) ?? Object.keys(ref.features);
    const maxNew = this.drift.max_categories;
    for (const name of wanted) {
      const profile = ref.features[name];
      if (profile) m.features.set(name, this.featureDrift(name, profile, maxNew, ref.bins));
      else this.ctx.logger.warn({ feature: name }, 'feature has no reference profile; no drift computed for it');
    }
    if (ref.prediction) m.prediction = this.featureDrift(PREDICTION, ref.prediction, maxNew, ref.bins);
    const multivariate = this.drift.multivariate;
    if (ref.reconstruction && multivariate.enabled) {
      m.multivariate = new MultivariateDrift(ref.reconstruction, this.specs, {
        threshold: multivariate.threshold,
        stdMultiplier: multivariate.std_multiplier,
        falseAlarmRate: this.drift.false_alarm_rate,
        minSamples: this.drift.min_samples,
        maxWindowValues: this.drift.max_window_values,
      });
    }
    m.referenceRows = ref.rows;
    m.featureNames = [...m.features.keys()];
    m.featureDrifts = [...m.features.values()];
    m.positions = new ColumnPositions(m.featureNames);
    m.staged = new StagedRecords(this.stagedRecords, m.featureDrifts);
    if (m.prediction) m.stagedPredictions = new StagedRecords(this.stagedRecords, [m.prediction]);
  }

  /**
   * Every staged record into its model version's windows. Whatever reads the windows calls it first
   * (the tick, snapshot, restore, /metrics' bin totals), and the AnalyzerSet after each burst of
   * records (a source's read), so no record waits for the next one.
   */
  flush(): void {
    const staging = this.staging;
    for (let i = 0; i < staging.length; i++) {
      const m = staging[i];
      m.staged!.listed = false;
      m.staged!.flush();
      m.stagedPredictions?.flush();
    }
    staging.length = 0;
  }

  onRecord(r: ModelRecord): void {
    if (r.timestamp > this.newestEvent) this.newestEvent = r.timestamp;
    // A failed request's inputs are not the traffic the model answered (and often not logged at all).
    if (isFailedRequest(r.status, r.error)) return;
    const m = this.series.get(r.model, r.version);
    if (m.warmup) {
      this.warm(m, r);
      return;
    }
    const { featureNames, featureDrifts } = m;
    // The features' values are staged, and go into the windows a run of records at a time.
    const staged = m.staged!;
    const k = staged.n;
    staged.times[k] = r.timestamp;
    const staging = staged.columns;
    const columns = r.columns;
    if (columns !== undefined) {
      // A lent record: each feature read by its position, with no lookup by name and no boxed number.
      const at = m.positions!.of(columns.keys);
      for (let i = 0; i < featureDrifts.length; i++) featureDrifts[i].stageColumn(columns, at[i], staging[i], k);
    } else {
      const features = r.features;
      for (let i = 0; i < featureNames.length; i++) featureDrifts[i].stage(features[featureNames[i]], staging[i], k);
    }
    staged.n = k + 1;
    if (!staged.listed) {
      staged.listed = true;
      this.staging.push(m);
    }
    if (k + 1 === staged.capacity) staged.flush();
    const predictions = m.stagedPredictions;
    if (predictions !== undefined && r.prediction !== undefined) {
      // Staged as the features are (listed with them: this record listed the model if it was not).
      const j = predictions.n;
      predictions.times[j] = r.timestamp;
      m.prediction!.stage(r.prediction, predictions.columns[0], j);
      predictions.n = j + 1;
      if (j + 1 === predictions.capacity) predictions.flush();
    }
    if (m.multivariate) {
      if (columns !== undefined) m.multivariate.observeColumns(r.timestamp, columns);
      else m.multivariate.observe(r.timestamp, r.features);
    }
  }

  private warm(m: ModelDrift, r: ModelRecord): void {
    const w = m.warmup!;
    w.add(this.ctx.config.features?.map((f) => f.name) ?? Object.keys(r.features), r.features, r.prediction ?? undefined);
    if (w.count < this.ctx.config.reference.warmup_records) return;
    const types: Record<string, 'numeric' | 'categorical' | undefined> = {};
    for (const [name, f] of this.featureConfig) types[name] = f.type;
    // The typed columns read in place: copies of them as arrays grew the V8 heap for the rest of the run.
    const profile = buildProfile(
      { source: 'warmup', rows: w.count, columns: w.columnViews(), types, predictionColumn: PREDICTION },
      { bins: this.drift.bins, maxCategories: this.drift.max_categories, maxSample: this.drift.max_reference_values, reconstruction: reconstructionOptions(this.ctx.config) },
    );
    m.warmup = undefined;
    m.warmupProfile = new CachedJson(profile, profileJournalKey(r.model, r.version));
    this.attach(m, profile);
    this.ctx.logger.info({ model: r.model, version: r.version, records: w.count }, 'warm-up reference built');
  }

  snapshot(): { newestEvent: number; models: SavedModel[] } {
    this.flush();
    const models: SavedModel[] = [];
    for (const [{ model, version }, m] of this.series.entries()) {
      const features: Record<string, unknown> = {};
      for (const [name, fd] of m.features) features[name] = fd.snapshot();
      models.push({
        model,
        version,
        // Copies: the checkpoint serialises the state in pieces after this capture, while new
        // records are already appended to the live warm-up columns.
        warmup: m.warmup ? { rows: Object.fromEntries(m.warmup.arrays()), count: m.warmup.count } : undefined,
        warmupReference: m.warmupProfile,
        features,
        prediction: m.prediction?.snapshot(),
        multivariate: m.multivariate?.snapshot(),
      });
    }
    return { newestEvent: this.newestEvent, models };
  }

  /** Puts windows back as they were; a feature whose saved shape no longer fits starts empty. */
  restore(state: unknown): void {
    const saved = state as { newestEvent?: number; models?: SavedModel[] };
    // Records seen before the restore go into the windows it replaces, as they would have one by one.
    this.flush();
    this.newestEvent = Math.max(this.newestEvent, saved.newestEvent ?? 0);
    for (const s of saved.models ?? []) {
      const m = this.series.get(s.model, s.version);
      const savedProfile = s.warmupReference ?? s.profile;
      if (savedProfile && m.warmup) {
        const profile = cachedValue(savedProfile as ReferenceProfile | CachedJson<ReferenceProfile>);
        m.warmup = undefined;
        m.warmupProfile = new CachedJson(profile, profileJournalKey(s.model, s.version));
        this.attach(m, profile);
      } else if (s.warmup && m.warmup) {
        m.warmup = WarmupRows.restore(s.warmup.rows, s.warmup.count, this.ctx.config.reference.warmup_records, PREDICTION);
      }
      const restoreOne = (name: string, fd: FeatureDrift | undefined, st: unknown) => {
        if (!fd || st === undefined) return;
        try {
          fd.restore(st);
        } catch (err) {
          this.ctx.logger.warn({ model: s.model, feature: name, err: String(err) }, 'saved window does not fit the current config; it starts empty');
        }
      };
      for (const [name, st] of Object.entries(s.features ?? {})) restoreOne(name, m.features.get(name), st);
      restoreOne(PREDICTION, m.prediction, s.prediction);
      if (m.multivariate && s.multivariate !== undefined) {
        try {
          m.multivariate.restore(s.multivariate);
        } catch (err) {
          this.ctx.logger.warn({ model: s.model, err: String(err) }, 'saved multivariate window does not fit the current config; it starts empty');
        }
      }
    }
  }

  /** A feature's count window of `count` records, for data quality's of the same size (windows/shared-summaries.ts). */
  private countWindow(model: string, version: string, feature: string, count: number): CountWindow | undefined {
    const index = this.specs.findIndex((s) => s.count === count);
    const window = index < 0 ? undefined : this.series.find(model, version)?.features.get(feature)?.windows[index];
    return window instanceof CountWindow ? window : undefined;
  }

  /** A feature's sorted count windows, for data quality's windows of the same size (windows/shared-summaries.ts). */
  private offerTo(summaries: SharedSummaries, key: ModelKey, feature: string): (window: RollingWindow, index: number, sorted: Float64Array) => void {
    return (window, index, sorted) => {
      const count = this.specs[index].count;
      if (count !== undefined && window instanceof CountWindow) summaries.offer(summaryKey(key.model, key.version, feature, count), window, sorted);
    };
  }

  /** Returns whether any result a metric shows changed (false: the checkpoint timer need not capture). */
  async tick(nowMs: number): Promise<boolean> {
    this.flush();
    this.calibrationDeadline = performance.now() + this.drift.calibration_budget * 1000;
    // Windows slide on event time, and on the wall clock when live (a stalled log empties them).
    const now = this.ctx.oneShot ? this.newestEvent : Math.max(nowMs / 1000, this.newestEvent);
    let changed = !this.ctx.oneShot && this.series.evictIdle(nowMs, this.ctx.config.metrics.stale_series_after * 1000) > 0;
    const summaries = this.ctx.summaries;
    summaries?.beginDrift();
    for (const [, m] of [...this.series.entries()]) {
      // One feature per step: the whole tick at once can hold the event loop for a scrape's budget.
      for (const [name, fd] of m.features) {
        const before = fd.results;
        fd.compute(now, summaries && this.offerTo(summaries, m.key, name));
        changed ||= !sameValue(before, fd.results);
        // Without a pause (a drift analyzer used alone) the tick runs to its end synchronously.
        if (this.ctx.pause) await this.ctx.pause();
      }
      const before = [m.prediction?.results, m.multivariate?.results, m.datasetShare];
      m.prediction?.compute(now);
      m.multivariate?.compute(now);
      m.datasetShare = this.specs.map((_, i) => {
        let verdicts = 0;
        let driftedCount = 0;
        for (const fd of m.features.values()) {
          const d = fd.results[i].drifted;
          if (d === undefined) continue;
          verdicts++;
          if (d) driftedCount++;
        }
        return verdicts > 0 ? driftedCount / verdicts : undefined;
      });
      changed ||= !sameValue(before, [m.prediction?.results, m.multivariate?.results, m.datasetShare]);
    }
    return changed;
  }
}

export const driftAnalyzer: AnalyzerFactory = {
  name: 'drift',
  defaultEnabled: true,
  enabled: (config) => config.drift.enabled,
  create: (ctx) => new DriftAnalyzer(ctx),
};
