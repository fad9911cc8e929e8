/**
 * Data quality, the real-time loop: every record's features are checked against the reference
 * profile and config (quality/feature-rules.ts), issues are counted per (feature, issue) in total,
 * per segment, and in rolling windows; numeric features get rolling summaries. The tick computes
 * window ratios and summaries; /metrics reads what it stored.
 *
 * The feature schema is `features` from config, else the reference's features, else the features
 * of each model version's first record.
 *
 * snapshot()/restore() carry the issue and value windows, the recent request ids, the previous
 * feature set, learned types and unexpected-name slots, and the segment values across a crash;
 * the issue totals are counters, which the exposition carries over by itself.
 */
import { sameValue } from '../core/same-value.js';
import type { DataQualityConfig } from '../config/quality-schema.js';
import { NO_FEATURES, type ModelRecord } from '../records/model-record.js';
import type { WindowSpec } from '../windows/feature-drift.js';
import type { ReferenceProfile } from '../windows/reference-profile.js';
import type { RollingWindow } from '../windows/window.js';
import { scratchValues } from '../windows/value-scratch.js';
import { CountValues } from '../windows/count-values.js';
import { summaryKey } from '../windows/shared-summaries.js';
import type { Analyzer, AnalyzerContext, AnalyzerFactory } from './analyzer.js';
import { ModelSeries, type ModelKey } from './model-series.js';
import { registerDataQualityMetrics } from './quality/data-quality-metrics.js';
import { FeatureChecks, STAGED_CHECKS, type DriftWindowOf, type SavedChecks } from './quality/feature-checks.js';
import type { ModelDataQuality } from './quality/model-data-quality.js';
import { buildRule, type FeatureRule } from './quality/feature-rules.js';
import { RecentIds, type SavedIds } from './quality/recent-ids.js';
import { qualityWindowSpecs } from './quality/reference.js';
import { referenceOf } from '../windows/reference-loader.js';
import { SegmentCoder } from './quality/segments.js';
import { summarizeSorted } from '../stats/value-summary.js';

interface SavedDataQuality {
  newestEvent: number;
  recentIds: SavedIds;
  segments: unknown;
  models: { model: string; version: string; checks?: SavedChecks }[];
}

export interface DataQualityOptions {
  /** Records staged for the value time windows before a flush (1: each goes in as it is checked). */
  stagedRecords?: number;
}

export class DataQualityAnalyzer implements Analyzer {
  readonly specs: WindowSpec[];
  readonly series: ModelSeries<ModelDataQuality>;
  readonly segments: SegmentCoder;
  private readonly settings: DataQualityConfig;
  private readonly reference: ReferenceProfile | undefined;
  private readonly ids: RecentIds;
  private newestEvent = 0;
  private readonly summarized = new WeakMap<RollingWindow, { version: number; stats: Float64Array | undefined }>();
  /** Checks with records staged since the last flush. */
  private readonly staging: FeatureChecks[] = [];
  private readonly stagedRecords: number;

  constructor(
    private readonly ctx: AnalyzerContext,
    options: DataQualityOptions = {},
  ) {
    this.stagedRecords = options.stagedRecords ?? STAGED_CHECKS;
    const { config } = ctx;
    this.settings = config.quality.data_quality;
    this.specs = qualityWindowSpecs(config);
    this.reference = referenceOf(config);
    this.ids = new RecentIds(this.settings.max_request_ids, ctx.requestIds);
    this.segments = new SegmentCoder(config.quality.segments.fields, config.quality.segments.max_values, this.reference);
    const newModel = (key: ModelKey): ModelDataQuality => ({ key, segmented: new Map(), ratios: this.specs.map(() => new Map()), summaries: this.specs.map(() => new Map()) });
    // The delivery's clock reading (analyzer-set.ts), not a Date.now() of its own per record.
    this.series = new ModelSeries(newModel, 100, () => ctx.clock.now());
    registerDataQualityMetrics(ctx.registry, this);
  }

  /** Checks for the configured features, else the reference's, else `observed` (the first record's). */
  private newChecks(observed: () => string[]): FeatureChecks {
    return new FeatureChecks(this.rules(observed), {
      specs: this.specs,
      maxUnexpected: this.settings.max_unexpected_features,
      maxWindowValues: this.ctx.config.drift.max_window_values,
      stagedRecords: this.stagedRecords,
    });
  }

  private rules(observed: () => string[]): FeatureRule[] {
    const { config } = this.ctx;
    const types = new Map(config.features?.map((f) => [f.name, f.type]) ?? []);
    const names = config.features?.map((f) => f.name) ?? (this.reference ? Object.keys(this.reference.features) : observed());
    return names.map((name) =>
      buildRule(name, {
        type: types.get(name),
        profile: this.reference?.features[name],
        bounds: this.settings.bounds[name],
        tolerance: this.settings.range_tolerance,
      }),
    );
  }

  onRecord(r: ModelRecord): void {
    if (r.timestamp > this.newestEvent) this.newestEvent = r.timestamp;
    // A failed request that logged no features has no inputs to check (core/failed-request.ts).
    // (A lent record is never one: it has columns; not reading its features keeps them unmade.)
    if (r.columns === undefined && r.features === NO_FEATURES) return;
    const m = this.series.get(r.model, r.version);
    m.checks ??= this.newChecks(() => [...(r.featureKeys ?? Object.keys(r.features))]);
    // The record itself: its id packed from the line's bytes when it can be, never decoded then.
    const duplicate = (r.requestIdBytes !== undefined || r.requestId !== undefined) && this.ids.seen(r);
    const checks = m.checks;
    checks.check(r, duplicate);
    if (!checks.listed) {
      checks.listed = true;
      this.staging.push(checks);
    }
    if (this.segments.size > 0 && checks.events.length > 0) this.countSegments(m, r);
  }

  /**
   * The records staged for the value time windows into them (FeatureChecks.flush). The checks' own
   * readers (advance, snapshot, restore) flush first; the AnalyzerSet calls this at the end of each
   * burst of deliveries, so no record waits for a later one.
   */
  flush(): void {
    const staging = this.staging;
    for (let i = 0; i < staging.length; i++) {
      staging[i].listed = false;
      staging[i].flush();
    }
    staging.length = 0;
  }

  private countSegments(m: ModelDataQuality, r: ModelRecord): void {
    const codes = this.segments.codes(this.segments.rawValues(r.features));
    for (let f = 0; f < codes.length; f++) {
      const segment = this.segments.label(f, codes[f]);
      for (const kind of m.checks!.events) {
        const key = `${segment}\u0000${kind}`;
        m.segmented.set(key, (m.segmented.get(key) ?? 0) + 1);
      }
    }
  }

  snapshot(): SavedDataQuality {
    const models: SavedDataQuality['models'] = [];
    for (const [{ model, version }, m] of this.series.entries()) models.push({ model, version, checks: m.checks?.snapshot(this.driftOf(model, version)) });
    return { newestEvent: this.newestEvent, recentIds: this.ids.snapshot(), segments: this.segments.snapshot(), models };
  }

  /** Drift's count windows of a model version (restored before this analyzer: analyzers/index.ts), for the value rings' checkpoint. */
  private driftOf(model: string, version: string): DriftWindowOf | undefined {
    const summaries = this.ctx.summaries;
    return summaries && ((feature, count) => summaries.driftWindow(model, version, feature, count));
  }

  /** Restores what fits the current config; each part that does not is logged and starts empty. */
  restore(state: unknown): void {
    const saved = state as SavedDataQuality;
    if (typeof saved !== 'object' || saved === null || !Array.isArray(saved.models)) throw new Error('saved data-quality state has no models');
    const log = this.ctx.logger;
    this.newestEvent = Math.max(this.newestEvent, Number(saved.newestEvent) || 0);
    try {
      this.ids.restore(saved.recentIds);
    } catch (err) {
      log.warn({ err: String(err) }, 'saved request ids do not fit; duplicate detection starts empty');
    }
    // Segment codes only name label values here (the counts are counters): a field that does not fit starts afresh.
    this.segments.restore(saved.segments);
    for (const s of saved.models) {
      const skip = (part: string, err: unknown) =>
        log.warn({ model: s.model, version: s.version, part, err: String(err) }, 'saved data-quality state does not fit the current config; this part starts empty');
      try {
        if (typeof s.model !== 'string' || typeof s.version !== 'string') throw new Error('not a saved model version');
        const checks = s.checks;
        if (!checks) continue;
        if (!Array.isArray(checks.known)) throw new Error('saved checks list no features');
        const m = this.series.get(s.model, s.version);
        m.checks ??= this.newChecks(() => checks.known);
        m.checks.restore(checks, skip, this.driftOf(s.model, s.version));
      } catch (err) {
        skip('all', err);
      }
    }
  }

  /**
   * A window's summary, sorted and computed again only when its contents changed since the last
   * tick; a count window's made from the drift tick's sort of drift's window of the same size
   * where it could be (windows/shared-summaries.ts). `key` names a count window there.
   */
  private summary(window: RollingWindow, key: string | undefined): Float64Array | undefined {
    const summaries = this.ctx.summaries;
    const counted = summaries !== undefined && key !== undefined && window instanceof CountValues;
    // Listed at every tick, so that the next drift tick makes its summary from drift's own sort.
    if (counted) summaries.register(key, window);
    let last = this.summarized.get(window);
    if (last?.version !== window.version) {
      const shared = counted ? summaries.summaryOf(key, window) : null;
      last = { version: window.version, stats: shared !== null ? shared : summarizeSorted(window.sortedValues(scratchValues)) };
      this.summarized.set(window, last);
    }
    return last.stats;
  }

  /** Returns whether any ratio or summary a metric shows changed (false: the checkpoint timer need not capture). */
  async tick(nowMs: number): Promise<boolean> {
    const now = this.ctx.oneShot ? this.newestEvent : Math.max(nowMs / 1000, this.newestEvent);
    let changed = false;
    this.ctx.summaries?.beginQuality();
    for (const [, m] of [...this.series.entries()]) {
      const checks = m.checks;
      if (!checks) continue;
      checks.advance(now);
      const kinds = checks.applicableKinds();
      for (let w = 0; w < this.specs.length; w++) {
        const window = checks.windows[w];
        const records = window.records();
        const ratios = new Map<number, number>();
        if (records > 0) for (const kind of kinds) ratios.set(kind, window.counts()[kind] / records);
        const summaries = new Map<number, Float64Array>();
        const count = this.specs[w].count;
        for (let slot = 0; slot < checks.values.length; slot++) {
          const ws = checks.values[slot];
          const stats = ws ? this.summary(ws[w], count !== undefined ? summaryKey(m.key.model, m.key.version, checks.slotNames[slot], count) : undefined) : undefined;
          if (stats) summaries.set(slot, stats);
        }
        changed ||= !sameValue(m.ratios[w], ratios) || !sameValue(m.summaries[w], summaries);
        m.ratios[w] = ratios;
        m.summaries[w] = summaries;
        // One window per step; without a pause (the analyzer used alone) the tick stays synchronous.
        if (this.ctx.pause) await this.ctx.pause();
      }
    }
    return changed;
  }
}

export const dataQualityAnalyzer: AnalyzerFactory = {
  name: 'data_quality',
  defaultEnabled: true,
  enabled: (config) => config.quality.enabled && config.quality.data_quality.enabled,
  // Disabled in config: an analyzer that does nothing, so the explicit list stays fixed.
  create: (ctx) => new DataQualityAnalyzer(ctx),
};
