/**
 * The running analyzers (those their config enables). Each call is isolated: an analyzer that throws
 * is marked down (modelwatch_analyzer_up 0), logged rate-limited, and the others carry on; its next
 * successful call (record, label, tick) marks it up again, so the gauge always says whether the last
 * call succeeded.
 */
import { RateLimitedLog } from '../core/log.js';
import { registerSnapshot } from '../metrics/snapshot-metric.js';
import type { LabelRecord, ModelRecord } from '../records/model-record.js';
import type { Analyzer, AnalyzerContext, AnalyzerFactory } from './analyzer.js';
import { CLAMP_REASONS, RecordTimeGuard } from './record-time.js';
import { boundLabelValue } from '../core/label-value.js';
import { SharedIds } from '../core/shared-ids.js';
import { SharedSummaries } from '../windows/shared-summaries.js';
import { DeliveryClock } from './delivery-clock.js';

/** Receiver classes V8 keeps at a call site before it goes megamorphic (see AnalyzerSet.onRecords). */
const POLYMORPHIC = 4;

/** Where the record-time timeline is kept in the analyzers' saved state (not an analyzer name). */
const TIMELINE_KEY = '@record_time';

interface Running {
  name: string;
  analyzer: Analyzer;
  up: boolean;
  failures: number;
  tickSeconds: number;
}

export class AnalyzerSet {
  /** Analyzers read a record only during onRecord; a record held while frozen is a retained copy. */
  readonly borrowsRecords = true;
  private readonly running: Running[];
  /** Those that take records (Analyzer.takesRecords), in running's order: the ones a record is delivered to. */
  private readonly receiving: Running[];
  /**
   * With more than POLYMORPHIC receiving analyzers, each one's onRecord, bound: V8 keeps up
   * to four receiver classes at a call site and calls (or inlines) them by a class check, and a
   * fifth makes `r.analyzer.onRecord(rec)` a megamorphic lookup and call for every analyzer and
   * record; a call through this array costs about half of that (a scratch script: ~70 against ~100
   * ns a record for five). With four or fewer, the direct call is the cheaper (~35 against ~60 ns
   * for two): undefined.
   */
  private readonly onRecords: ((rec: ModelRecord) => void)[] | undefined;
  private readonly warn: RateLimitedLog;
  /** Record and label times are checked here, once, before any analyzer sees them. */
  readonly time: RecordTimeGuard;
  /**
   * Model and version become label values and map keys in every analyzer and in the checkpoint: a
   * 1 MB model name is cut here, once, with a marker (core/label-value.ts), and counted.
   */
  private readonly maxLabelLength: number;
  readonly truncated = { model: 0, version: 0 };
  /**
   * While frozen (a state snapshot being written out analyzer by analyzer), records and labels wait
   * here and ticks wait at their next step, so every analyzer's state is of the same instant as the
   * counters and offsets captured when the freeze began, while scrapes are still answered.
   */
  private frozen: { queue: (ModelRecord | LabelRecord)[]; kinds: boolean[]; thawed: Promise<void>; thaw: () => void } | undefined;

  /** One clock reading per delivery (a read's lines, or a record alone), for the time check and every analyzer. */
  private readonly clock: DeliveryClock;
  /** Analyzers that stage records (Analyzer.flush), and whether their flush is queued for the end of this burst. */
  private readonly staging: Running[];
  private flushQueued = false;
  /** Inside read(): the read's end flushes what it staged (no microtask queued for it). */
  private inRead = false;
  private readonly flushStaged = (): void => {
    this.flushQueued = false;
    for (const r of this.staging) {
      try {
        r.analyzer.flush!();
        r.up = true;
      } catch (err) {
        this.fail(r, err, 'record');
      }
    }
  };

  constructor(factories: readonly AnalyzerFactory[], ctx: AnalyzerContext) {
    const limits = ctx.config.record_time ?? { max_future_skew: 300, max_age: 10 * 365 * 86400 };
    this.clock = new DeliveryClock(ctx.clock);
    this.time = new RecordTimeGuard(this.clock, { maxFutureSkew: limits.max_future_skew, maxAge: limits.max_age });
    this.maxLabelLength = ctx.config.metrics?.max_label_value_length ?? 128;
    const enabled = factories.filter((f) => f.enabled(ctx.config));
    // Data quality's last N ids and the label join's waiting predictions: one table, one probe a record.
    const requestIds = ctx.requestIds ?? new SharedIds();
    // Drift's sorts of its count windows, for data quality's windows holding the same values: one sort for both.
    const summaries = ctx.summaries ?? new SharedSummaries();
    this.running = enabled.map((f) => ({
      name: f.name,
      analyzer: f.create({ ...ctx, clock: this.clock, pause: () => this.pause(), requestIds, summaries }),
      up: true,
      failures: 0,
      tickSeconds: 0,
    }));
    // Custom metrics with none configured takes no records: the other four (every analyzer of the
    // default config) then stay within POLYMORPHIC, and each record costs a call less.
    this.receiving = this.running.filter((r) => r.analyzer.takesRecords !== false);
    this.onRecords = this.receiving.length > POLYMORPHIC ? this.receiving.map((r) => r.analyzer.onRecord.bind(r.analyzer)) : undefined;
    this.staging = this.running.filter((r) => r.analyzer.flush !== undefined);
    this.warn = new RateLimitedLog(ctx.logger);
    registerSnapshot(ctx.registry, 'modelwatch_analyzer_up', 'Whether the analyzer\'s last call (record, label or tick) succeeded (1) or failed (0).', 'gauge', () =>
      this.running.map((r) => ({ labels: { analyzer: r.name }, value: r.up ? 1 : 0 })),
    );
    registerSnapshot(
      ctx.registry,
      'modelwatch_record_timestamps_clamped_total',
      'Records and labels whose time was replaced by the clock: future (more than record_time.max_future_skew ahead), too_old (older than record_time.max_age), invalid (not a time).',
      'counter',
      () => CLAMP_REASONS.map((reason) => ({ labels: { reason }, value: this.time.clamped[reason] })),
    );
    registerSnapshot(
      ctx.registry,
      'modelwatch_record_labels_truncated_total',
      'Records and labels whose model or version was longer than metrics.max_label_value_length and was cut (ending with …# and a hash).',
      'counter',
      () => [
        { labels: { field: 'model' }, value: this.truncated.model },
        { labels: { field: 'version' }, value: this.truncated.version },
      ],
    );
    // Rendered as of now: every tick changes it, and a tick that changed nothing else publishes no capture.
    registerSnapshot(ctx.registry, 'modelwatch_analyzer_tick_duration_seconds', 'Duration of the analyzer\'s last periodic computation.', 'gauge', () =>
      this.running.map((r) => ({ labels: { analyzer: r.name }, value: r.tickSeconds })),
    ).live = true;
  }

  /** Model versions held by the analyzer that holds the most (traffic holds every one seen). */
  modelVersions(): number {
    let most = 0;
    for (const r of this.running) most = Math.max(most, r.analyzer.modelVersions?.() ?? 0);
    return most;
  }

  get names(): string[] {
    return this.running.map((r) => r.name);
  }

  /**
   * The records and labels delivered during `deliver` came in one read of a source (LineSink.read):
   * they arrived at one instant, so one clock reading serves all of them.
   */
  read(deliver: () => void): void {
    const outer = !this.inRead;
    this.inRead = true;
    const pinned = this.clock.pin();
    try {
      deliver();
    } finally {
      if (pinned) this.clock.unpin();
      if (outer) {
        this.inRead = false;
        if (this.flushQueued) this.flushStaged();
      }
    }
  }

  record(rec: ModelRecord): void {
    // Within a read the clock is pinned already: no reading, and no try/finally to unpin.
    if (this.clock.pinned) {
      this.admitRecord(rec);
      return;
    }
    this.clock.pin();
    try {
      this.admitRecord(rec);
    } finally {
      this.clock.unpin();
    }
  }

  private admitRecord(rec: ModelRecord): void {
    this.time.record(rec);
    if (rec.model.length > this.maxLabelLength || rec.version.length > this.maxLabelLength) this.boundNames(rec);
    if (this.frozen) {
      // A lent record is the next line's once this returns: keep an independent copy.
      this.frozen.queue.push(rec.retain?.() ?? rec);
      this.frozen.kinds.push(true);
      return;
    }
    this.deliverRecord(rec);
  }

  private deliverRecord(rec: ModelRecord): void {
    // After the records delivered in this turn (a source's read of up to 1 MiB, a thaw's queue):
    // staged records are applied then, not held until a later read. A read flushes at its end; a
    // record given alone queues a microtask (Node's queueMicrotask makes an AsyncResource for each).
    if (!this.flushQueued && this.staging.length > 0) {
      this.flushQueued = true;
      if (!this.inRead) queueMicrotask(this.flushStaged);
    }
    const running = this.receiving;
    const onRecords = this.onRecords;
    if (onRecords !== undefined) {
      for (let i = 0; i < onRecords.length; i++) {
        const r = running[i];
        try {
          onRecords[i](rec);
          r.up = true;
        } catch (err) {
          this.fail(r, err, 'record');
        }
      }
      return;
    }
    for (let i = 0; i < running.length; i++) {
      const r = running[i];
      try {
        r.analyzer.onRecord(rec);
        r.up = true;
      } catch (err) {
        this.fail(r, err, 'record');
      }
    }
  }

  label(label: LabelRecord): void {
    this.time.label(label);
    if ((label.model?.length ?? 0) > this.maxLabelLength || (label.version?.length ?? 0) > this.maxLabelLength) this.boundNames(label);
    if (this.frozen) {
      this.frozen.queue.push(label);
      this.frozen.kinds.push(false);
      return;
    }
    this.deliverLabel(label);
  }

  private deliverLabel(label: LabelRecord): void {
    for (const r of this.running) {
      if (!r.analyzer.onLabel) continue;
      try {
        r.analyzer.onLabel(label);
        r.up = true;
      } catch (err) {
        this.fail(r, err, 'label');
      }
    }
  }

  /**
   * Each analyzer's periodic computation. Returns whether any of them changed what a metric shows
   * (an analyzer that does not say, or whose up state flipped, counts as a change): false lets the
   * checkpoint timer skip the capture that publishes a tick's results (pipeline stateVersion).
   */
  async tick(clockNow: number): Promise<boolean> {
    const now = this.time.timeline(clockNow);
    let changed = false;
    for (const r of this.running) {
      if (!r.analyzer.tick) continue;
      await this.frozen?.thawed;
      const start = performance.now();
      const up = r.up;
      try {
        changed = (await r.analyzer.tick(now)) !== false || changed;
        r.up = true;
      } catch (err) {
        changed = true;
        this.fail(r, err, 'tick');
      }
      if (r.up !== up) changed = true;
      r.tickSeconds = (performance.now() - start) / 1000;
      // Heavy ticks one after another would hold the event loop: let scrapes and reads in between.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return changed;
  }

  /** Yields to I/O; while frozen, waits for the thaw (analyzers call it between steps of a tick). */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.frozen?.thawed;
  }

  /** Holds records, labels and tick steps back until thaw(). */
  freeze(): void {
    if (this.frozen) return;
    let thaw!: () => void;
    const thawed = new Promise<void>((resolve) => (thaw = resolve));
    this.frozen = { queue: [], kinds: [], thawed, thaw };
  }

  /** Delivers what waited, in arrival order, and lets ticks go on. */
  thaw(): void {
    const f = this.frozen;
    if (!f) return;
    this.frozen = undefined;
    // What waited is delivered now: one reading for the batch.
    const pinned = this.clock.pin();
    try {
      for (let i = 0; i < f.queue.length; i++) {
        if (f.kinds[i]) this.deliverRecord(f.queue[i] as ModelRecord);
        else this.deliverLabel(f.queue[i] as LabelRecord);
      }
    } finally {
      if (pinned) this.clock.unpin();
    }
    f.thaw();
  }

  /**
   * The same as snapshot(), one analyzer per turn of the event loop: call it frozen, so nothing
   * changes between the parts. For the checkpoint store alone: a journaled part may hold only its
   * delta (Analyzer.snapshotSteps' `forJournal`), readable only through the store's journal.
   */
  async snapshotInSteps(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = { [TIMELINE_KEY]: this.time.snapshot() };
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    for (const r of this.running) {
      if (r.analyzer.snapshotSteps) {
        const steps = r.analyzer.snapshotSteps(true);
        for (let s = steps.next(); ; s = steps.next()) {
          if (s.done) {
            out[r.name] = s.value;
            break;
          }
          await turn();
        }
      } else if (r.analyzer.snapshot) {
        out[r.name] = r.analyzer.snapshot();
      }
      await turn();
    }
    return out;
  }

  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = { [TIMELINE_KEY]: this.time.snapshot() };
    for (const r of this.running) if (r.analyzer.snapshot) out[r.name] = r.analyzer.snapshot();
    return out;
  }

  restore(saved: Record<string, unknown>): void {
    this.time.restore(saved[TIMELINE_KEY]);
    for (const r of this.running) {
      if (!r.analyzer.restore || saved[r.name] === undefined) continue;
      try {
        r.analyzer.restore(saved[r.name]);
      } catch (err) {
        this.fail(r, err, 'restore');
      }
    }
  }

  async close(): Promise<void> {
    for (const r of this.running) await r.analyzer.close?.();
  }

  private boundNames(r: { model?: string; version?: string }): void {
    if (r.model !== undefined && r.model.length > this.maxLabelLength) {
      r.model = boundLabelValue(r.model, this.maxLabelLength);
      this.truncated.model++;
    }
    if (r.version !== undefined && r.version.length > this.maxLabelLength) {
      r.version = boundLabelValue(r.version, this.maxLabelLength);
      this.truncated.version++;
    }
  }

  private fail(r: Running, err: unknown, stage: string): void {
    r.up = false;
    r.failures++;
    this.warn.warn(`${r.name}:${stage}`, { analyzer: r.name, stage, err: String(err) }, 'analyzer failed');
  }
}

