/**
 * Ground truth and model quality, the delayed loop. Predictions wait in the LabelJoiner (bounded
 * by quality.labels); each label that joins adds a (truth, prediction, score) pair to every
 * quality window and one error to the concept-drift detectors. On the tick every window's metrics
 * are computed (overall, per segment, fairness) together with CBPE estimates from the scores of
 * all predictions, labelled or not; /metrics reads what the tick stored.
 *
 * snapshot()/restore() carry across a crash what counters cannot: the label join store (so labels
 * for predictions made before the crash still join), the windows of joined pairs and of scores,
 * the detectors' running statistics, class tables and segment codes.
 */
import { sameValue } from '../core/same-value.js';
import { resolveJournal } from '../windows/label-join-journal.js';
import type { QualityConfig } from '../config/quality-schema.js';
import type { LabelRecord, ModelRecord } from '../records/model-record.js';
import { encodeTyped } from '../core/typed-codec.js';
import { estimateBinaryPerformance } from '../stats/quality/cbpe.js';
import { multiclassEstimates } from './quality/multiclass-estimates.js';
import type { WindowSpec } from '../windows/feature-drift.js';
import { LabelJoiner, runSteps, type JoinedPair, type LabelJoinerState, type PredictionInput } from '../windows/label-join.js';
import type { Analyzer, AnalyzerContext, AnalyzerFactory } from './analyzer.js';
import { ModelSeries } from './model-series.js';
import { groupFairness } from './quality/fairness.js';
import { ModelQualityState, type SavedModelQuality, type WindowQuality } from './quality/model-state.js';
import { registerModelQualityMetrics } from './quality/model-quality-metrics.js';
import { qualityWindowSpecs } from './quality/reference.js';
import { referenceColumnsOf, referenceOf } from '../windows/reference-loader.js';
import { referenceQuality, type ReferenceQuality } from './quality/reference-quality.js';
import { SegmentCoder } from './quality/segments.js';
import { classificationQuality, regressionQuality, subset, type QualityValue } from './quality/window-quality.js';
import { isFailedRequest } from '../core/failed-request.js';
import { argmax } from '../records/values.js';
import type { IdBytes } from '../core/id-bytes.js';

const FLOAT64_EPS = 2 ** -52;

interface SavedModelQualityAnalyzer {
  newestEvent: number;
  /** Segment fields then the fairness attribute: the columns of segment codes, in order. */
  segmentFields: string[];
  segments: unknown;
  groups?: unknown;
  joiner: LabelJoinerState;
  models: { model: string; version: string; state: SavedModelQuality }[];
}

export class ModelQualityAnalyzer implements Analyzer {
  readonly specs: WindowSpec[];
  readonly series: ModelSeries<ModelQualityState>;
  readonly joiner: LabelJoiner;
  readonly segments: SegmentCoder;
  readonly groups: SegmentCoder | undefined;
  readonly reference: ReferenceQuality | undefined;
  readonly quality: QualityConfig;
  private newestEvent = 0;
  private readonly input = new RecordInput();

  constructor(private readonly ctx: AnalyzerContext) {
    const { config } = ctx;
    this.quality = config.quality;
    this.specs = qualityWindowSpecs(config);
    const profile = referenceOf(config);
    this.segments = new SegmentCoder(this.quality.segments.fields, this.quality.segments.max_values, profile);
    const fairness = this.quality.fairness;
    this.groups = fairness ? new SegmentCoder([fairness.attribute], this.quality.segments.max_values, profile) : undefined;
    const columns = referenceColumnsOf(config);
    this.reference = columns ? referenceQuality(columns, this.quality) : undefined;
    const labels = this.quality.labels;
    this.joiner = new LabelJoiner({
      clock: ctx.clock,
      maxEntries: labels.max_entries,
      ttlMs: labels.ttl * 1000,
      graceMs: labels.grace * 1000,
      maxEarlyLabels: labels.max_early_labels,
      onLabelDelay: (seconds, model, version) => this.series.get(model, version).delay.observe(seconds),
      ids: ctx.requestIds,
    });
    ctx.cardinality?.track('modelwatch_labels_total', this.joiner);
    const groupColumns = this.segments.size + (this.groups ? 1 : 0);
    // The delivery's clock reading (analyzer-set.ts), not a Date.now() of its own per record.
    this.series = new ModelSeries(() => new ModelQualityState(this.quality, this.specs, groupColumns, this.quality.detectors), 100, () => ctx.clock.now());
    registerModelQualityMetrics(ctx.registry, this);
  }

  onRecord(r: ModelRecord): void {
    if (isFailedRequest(r.status, r.error)) return;
    if (r.prediction === undefined && r.scores === undefined) return;
    if (r.timestamp > this.newestEvent) this.newestEvent = r.timestamp;
    const m = this.series.get(r.model, r.version);
    m.task ??= r.scores !== undefined || typeof r.prediction === 'string' || this.quality.classes ? 'classification' : 'regression';
    const prediction = this.predictionOf(m, r.prediction, r.scores);
    if (m.task === 'classification' && prediction !== undefined && prediction !== null) {
      m.countPrediction(m.classes.indexOf(prediction));
      const score = this.positiveScore(m, r.scores);
      if (score !== undefined) for (const w of m.scoreWindows) w.push(r.timestamp, NaN, NaN, score);
      else if (this.isClassScoreVector(r.scores)) {
        const predicted = m.classes.indexOf(prediction);
        m.pushClassScores(r.timestamp, predicted < r.scores.length ? predicted : -1, r.scores);
      }
    }
    // (The id's bytes first: reading requestId on a lent record decodes it.)
    if (r.requestIdBytes === undefined && r.requestId === undefined) return;
    const segments = this.segments.size > 0 || this.groups ? this.segments.rawValues(r.features) : undefined;
    if (segments && this.groups) segments.push(...this.groups.rawValues(r.features));
    // One input object reused record after record: the joiner copies what it keeps (columns.write).
    const input = this.input;
    input.record = r;
    input.requestIdBytes = r.requestIdBytes;
    input.model = r.model;
    input.version = r.version;
    input.prediction = prediction;
    input.scores = r.scores;
    input.timestamp = r.timestamp;
    input.segments = segments;
    const joined = this.joiner.addPrediction(input);
    input.scores = input.segments = input.requestIdBytes = input.record = undefined;
    if (joined) this.onJoined(joined);
  }

  onLabel(label: LabelRecord): void {
    if (label.timestamp > this.newestEvent) this.newestEvent = label.timestamp;
    const joined = this.joiner.addLabel(label);
    if (joined) this.onJoined(joined);
  }

  /** One score per configured class (and not a binary model's pair): multiclass CBPE's input. */
  private isClassScoreVector(scores: readonly number[] | undefined): scores is readonly number[] {
    const classes = this.quality.classes;
    return scores !== undefined && classes !== undefined && scores.length === classes.length && scores.length >= 2;
  }

  /** A single score without a logged class decides the class by the threshold. */
  private predictionOf(m: ModelQualityState, prediction: ModelRecord['prediction'], scores: readonly number[] | undefined): ModelRecord['prediction'] {
    const classes = this.quality.classes;
    // A score vector logged as the prediction gives its argmax index: name it by the class table.
    if (typeof prediction === 'number' && classes && scores?.length === classes.length && !classes.includes(String(prediction))) {
      return classes[prediction] ?? prediction;
    }
    // Only a score vector logged: a binary model decides by the threshold, a multiclass one by the argmax.
    if (prediction === undefined && m.task === 'classification' && classes && scores && scores.length === classes.length && scores.length > 1) {
      const positive = classes.indexOf(this.quality.positive_class);
      if (scores.length === 2 && positive >= 0) return scores[positive] >= this.quality.threshold ? classes[positive] : classes[1 - positive];
      return classes[argmax(scores)];
    }
    if (prediction !== undefined || m.task !== 'classification' || scores?.length !== 1) return prediction;
    if (scores[0] >= this.quality.threshold) return this.quality.positive_class;
    return classes?.find((c) => c !== this.quality.positive_class) ?? '0';
  }

  /** The positive-class probability of a binary model's scores, else undefined. */
  private positiveScore(m: ModelQualityState, scores: readonly number[] | undefined): number | undefined {
    if (!scores) return undefined;
    if (scores.length === 1) {
      m.binaryScores = true;
      return scores[0];
    }
    if (scores.length !== 2) return undefined;
    const configured = this.quality.classes;
    const index = configured ? configured.indexOf(this.quality.positive_class) : 1;
    m.binaryScores = index >= 0;
    return index >= 0 ? scores[index] : undefined;
  }

  private onJoined(pair: JoinedPair): void {
    const m = this.series.get(pair.model, pair.version);
    const t = pair.labelTimestamp;
    if (pair.prediction === undefined || pair.prediction === null) return;
    const codes = this.pairCodes(pair.segments);
    if (m.task === 'regression') {
      const truth = Number(pair.label);
      const prediction = Number(pair.prediction);
      if (!Number.isFinite(truth) || !Number.isFinite(prediction)) return;
      for (const w of m.windows) w.push(t, truth, prediction, NaN, codes);
      const error = Math.abs(truth - prediction);
      const missAt = this.quality.miss_threshold;
      m.observeError(error, missAt === undefined ? undefined : error > missAt);
      return;
    }
    const truth = m.classes.indexOf(pair.label);
    const prediction = m.classes.indexOf(pair.prediction);
    for (const w of m.windows) w.push(t, truth, prediction, this.pairScore(m, truth, pair.scores), codes);
    m.observeError(truth === prediction ? 0 : 1, truth !== prediction);
  }

  /** Binary: the positive score; multiclass with configured classes: the true class's probability as log loss uses it. */
  private pairScore(m: ModelQualityState, truth: number, scores: readonly number[] | undefined): number {
    const positive = this.positiveScore(m, scores);
    if (positive !== undefined) return positive;
    const classes = this.quality.classes;
    if (!scores || !classes || scores.length !== classes.length || truth >= classes.length) return NaN;
    // As sklearn log_loss: clip each probability to [eps, 1 − eps], renormalise the row.
    const clip = (p: number) => Math.min(1 - FLOAT64_EPS, Math.max(FLOAT64_EPS, p));
    let rowSum = 0;
    for (const p of scores) rowSum += clip(p);
    return clip(scores[truth]) / rowSum;
  }

  private pairCodes(raw: readonly string[] | undefined): Int32Array | undefined {
    if (!raw) return undefined;
    const n = this.segments.size;
    const codes = new Int32Array(n + (this.groups ? 1 : 0));
    codes.set(this.segments.codes(raw.slice(0, n)));
    if (this.groups) codes[n] = this.groups.codes(raw.slice(n))[0];
    return codes;
  }

  private get segmentFields(): string[] {
    const fairness = this.quality.fairness;
    return [...this.quality.segments.fields, ...(this.groups && fairness ? [fairness.attribute] : [])];
  }

  snapshot(): SavedModelQualityAnalyzer {
    return runSteps(this.snapshotSteps());
  }

  /** The snapshot in steps (the label join store is the large part): see Analyzer.snapshotSteps. */
  *snapshotSteps(forJournal = false): Generator<void, SavedModelQualityAnalyzer> {
    const models: SavedModelQualityAnalyzer['models'] = [];
    for (const [{ model, version }, m] of this.series.entries()) models.push({ model, version, state: m.snapshot() });
    const joiner = yield* this.joiner.snapshotSteps(forJournal);
    return {
      newestEvent: this.newestEvent,
      segmentFields: this.segmentFields,
      segments: this.segments.snapshot(),
      groups: this.groups?.snapshot(),
      joiner,
      models,
    };
  }

  /** Restores what fits the current config; each part that does not is logged and starts empty. */
  restore(state: unknown): void {
    const saved = state as SavedModelQualityAnalyzer;
    if (typeof saved !== 'object' || saved === null || !Array.isArray(saved.models)) throw new Error('saved model-quality state has no models');
    const log = this.ctx.logger;
    this.newestEvent = Math.max(this.newestEvent, Number(saved.newestEvent) || 0);
    // Saved segment codes mean what they meant only if the same fields restored the same codes.
    const fields = this.segmentFields;
    const restored = [...this.segments.restore(saved.segments), ...(this.groups?.restore(saved.groups) ?? [])];
    const keepSegments = fields.length === restored.length && fields.length === (saved.segmentFields?.length ?? 0) && fields.every((f, i) => saved.segmentFields?.[i] === f && restored[i] === f);
    if (!keepSegments && (fields.length > 0 || (saved.segmentFields?.length ?? 0) > 0)) {
      log.warn({ saved: saved.segmentFields, now: fields }, 'saved segment codes do not fit the segment fields now; restored windows hold no segments');
    }
    try {
      // A store the checkpoint journaled is folded first (windows/label-join-journal.ts).
      const whole = resolveJournal(saved.joiner);
      const joiner = keepSegments ? whole : { ...whole, predictions: { ...whole.predictions, segmentTuples: [], segment: encodeTyped(new Int32Array(whole.predictions.ids.length).fill(-1)) } };
      this.joiner.restore(joiner);
    } catch (err) {
      log.warn({ err: String(err) }, 'saved label join store does not fit; pending predictions and labels start empty');
    }
    for (const s of saved.models) {
      const skip = (part: string, err: unknown) =>
        log.warn({ model: s.model, version: s.version, part, err: String(err) }, 'saved model-quality state does not fit the current config; this part starts empty');
      try {
        if (typeof s.model !== 'string' || typeof s.version !== 'string' || typeof s.state !== 'object' || s.state === null) throw new Error('not a saved model version');
        this.series.get(s.model, s.version).restore(s.state, keepSegments, skip);
      } catch (err) {
        skip('all', err);
      }
    }
  }

  /** Returns whether anything a metric shows changed: an expiry, a result, a detector's state (false: the checkpoint timer need not capture). */
  tick(nowMs: number): boolean {
    const waiting = this.joiner.stats();
    this.joiner.expire(this.ctx.clock.now());
    const left = this.joiner.stats();
    // Expiry only removes: equal sizes mean nothing expired (and no outcome was counted).
    let changed = left.pendingPredictions !== waiting.pendingPredictions || left.pendingLabels !== waiting.pendingLabels;
    const now = this.ctx.oneShot ? this.newestEvent : Math.max(nowMs / 1000, this.newestEvent);
    for (const [, m] of this.series.entries()) {
      const before = m.results;
      m.results = this.specs.map((_, w) => this.windowQuality(m, w, now));
      changed ||= !sameValue(before, m.results);
      for (const d of m.detectors) {
        changed ||= d.state !== d.latched || d.latched !== d.detector.state;
        d.state = d.latched;
        d.latched = d.detector.state;
      }
    }
    return changed;
  }

  private windowQuality(m: ModelQualityState, w: number, now: number): WindowQuality {
    const window = m.windows[w];
    window.advance(now);
    m.scoreWindows[w].advance(now);
    for (const c of m.classScoreWindows?.[w] ?? []) c.advance(now);
    const result: WindowQuality = { samples: window.length, values: [], segments: new Map(), estimated: [], fairness: undefined };
    const minSamples = this.quality.min_samples;
    if (m.task === 'classification') result.estimated = this.estimate(m, w);
    if (window.length < minSamples || m.task === undefined) return result;
    const cols = window.columns();
    const positive = m.binaryScores && m.classes.size <= 2 ? m.classes.find(this.quality.positive_class) : undefined;
    const compute = (truth: Float64Array, prediction: Float64Array, score: Float64Array, perClass: boolean): QualityValue[] =>
      m.task === 'regression'
        ? regressionQuality(truth, prediction)
        : classificationQuality(truth, prediction, score, { classNames: m.classes.names, positive, perClass });
    result.values = compute(cols.truth, cols.prediction, cols.score, true);
    for (let f = 0; f < this.segments.size; f++) {
      for (let code = 0; code < this.segments.codeCount(f); code++) {
        const [truth, prediction, score] = subset(cols.segments[f], code, cols.truth, cols.prediction, cols.score);
        if (truth.length >= minSamples) result.segments.set(this.segments.label(f, code), compute(truth, prediction, score, false));
      }
    }
    const fairness = this.quality.fairness;
    if (this.groups && fairness && m.task === 'classification') {
      const favourable = m.classes.find(fairness.favourable_outcome ?? this.quality.positive_class);
      const privileged = fairness.privileged === undefined ? undefined : this.groups.codes([fairness.privileged])[0];
      if (favourable !== undefined) result.fairness = groupFairness(cols.truth, cols.prediction, cols.segments[this.segments.size], favourable, privileged);
    }
    return result;
  }

  private estimate(m: ModelQualityState, w: number): QualityValue[] {
    const window = m.scoreWindows[w];
    if (!this.quality.cbpe.enabled) return [];
    const classWindows = m.classScoreWindows?.[w];
    if (!m.binaryScores && classWindows && this.quality.classes) return multiclassEstimates(classWindows, this.quality.classes, this.quality.min_samples, this.reference?.classCalibrations);
    if (!m.binaryScores || window.length < this.quality.min_samples) return [];
    const e = estimateBinaryPerformance(window.columns().score, { threshold: this.quality.threshold, calibration: this.reference?.calibration });
    if (!e) return [];
    const values: [string, number | undefined][] = [
      ['accuracy', e.accuracy],
      ['precision', e.precision],
      ['recall', e.recall],
      ['f1', e.f1],
      ['roc_auc', e.rocAuc],
    ];
    return values.filter((v): v is [string, number] => v[1] !== undefined).map(([metric, value]) => ({ metric, value }));
  }
}

/**
 * The prediction of the record being delivered, one object reused: its id's string is read from the
 * record only when the joiner asks for it (a label store to look in, a join), so a lent record's id
 * packed from its bytes is never decoded (core/id-bytes.ts).
 */
class RecordInput implements PredictionInput {
  record: ModelRecord | undefined = undefined;
  requestIdBytes: IdBytes | undefined = undefined;
  model = '';
  version = '';
  prediction: PredictionInput['prediction'] = undefined;
  scores: PredictionInput['scores'] = undefined;
  timestamp = 0;
  segments: PredictionInput['segments'] = undefined;

  get requestId(): string {
    return this.record!.requestId!;
  }
}

export const modelQualityAnalyzer: AnalyzerFactory = {
  name: 'model_quality',
  defaultEnabled: true,
  enabled: (config) => config.quality.enabled,
  // Disabled in config: an analyzer that does nothing, so the explicit list stays fixed.
  create: (ctx) => new ModelQualityAnalyzer(ctx),
};
