/**
 * Exactly-once across crashes. Offsets, analyzer state (windows, pending joins) and the exposed
 * counter values are captured in one synchronous step and written in one atomic checkpoint write.
 * /metrics serves the pipeline metrics as of the last *durable* snapshot, so what Prometheus has
 * seen never runs ahead of what a restart resumes from: after `kill -9`, lines after the snapshot
 * are read again exactly once and every counter continues from its last exposed value.
 *
 * Write amplification is bounded by the caller: snapshots are taken on the checkpoint timer (and at
 * start and stop), never by a scrape, so the whole state is written at most once per interval
 * whatever the scrape rate; a scrape between two writes is served the last durable snapshot.
 *
 * Readiness: nothing is written and nothing is published until arm() (called once the restore is
 * complete and the sources are started), so a scrape or timer during startup cannot overwrite the
 * previous run's checkpoint with an empty one.
 *
 * Durability lost: when a write fails, /metrics would otherwise stay frozen at the last durable
 * snapshot. Instead it serves live values and `durable` turns false (modelwatch_checkpoint_durable
 * 0); the guarantee is then lost until a write captured after the last live scrape succeeds, since
 * an older one would show Prometheus counters lower than it already saw.
 */
import type { Logger } from '../core/log.js';
import type { AnalyzerSet } from '../analyzers/analyzer-set.js';
import { CaptureArena } from '../core/capture-arena.js';
import { CounterBase } from '../metrics/counter-base.js';
import { SavedCounters } from '../metrics/saved-counters.js';
import type { CapturedFamily, Exposition } from '../exposition/exposition.js';
import { keepUnchanged, sameLabels } from '../exposition/unchanged-families.js';
import type { CheckpointStore } from '../sources/checkpoint.js';
import { parsePipelineState, type CapturedPipelineState } from './pipeline-state.js';

export type { CapturedPipelineState, PipelineState } from './pipeline-state.js';

/** A source whose committed offsets go into the checkpoint (file tailers); others lack the method. */
export interface OffsetRecorder {
  recordOffsets?(): void;
}

/**
 * A number that grows whenever anything a checkpoint holds may have changed (lines read, ticks,
 * pairing expiry, rotations): equal to its value at the last published capture means nothing moved.
 */
export type StateVersion = () => number;

interface Captured {
  families: CapturedFamily[];
  /** The state version at the capture. */
  version: number;
  /** Lines read at the capture. */
  lines: number;
  /** Order of capture among snapshots and live renders. */
  seq: number;
}

export class StateSnapshotter {
  private readonly captured = new WeakMap<object, Captured>();
  private published: CapturedFamily[] | undefined;
  /** The state version of `published` (NaN: unknown, so the next timer captures). */
  private publishedVersion = NaN;
  /** Lines read at the capture of `published` (NaN: unknown). */
  private publishedLines = NaN;
  private inflight: Promise<void> | undefined;
  /** Set once the restore is complete: from then on snapshots are written and published. */
  armed = false;
  private seq = 0;
  /** seq of the newest live render (served while durability was lost). */
  private liveSeq = -1;
  /** Whether /metrics serves the newest durable snapshot (false: live values, durability lost). */
  durable = true;
  readonly base = new CounterBase();
  /**
   * The memory of each capture's typed copies, reused by the next (core/capture-arena.ts): the
   * checkpoint store writes one state at a time and drops it once written, before it asks for the next.
   */
  private readonly arena = new CaptureArena();

  constructor(
    private readonly checkpoint: CheckpointStore,
    private readonly sources: () => readonly OffsetRecorder[],
    private readonly analyzers: AnalyzerSet,
    private readonly exposition: Exposition,
    private readonly logger: Logger,
    /** Without one, every timer captures and compares (as before the version existed). */
    private readonly version: StateVersion = () => NaN,
    /**
     * Lines read so far (each moves a counter): when they moved since the published capture, the
     * timer writes without first capturing to compare (the write captures anyway).
     */
    private readonly linesRead: () => number = () => NaN,
  ) {}

  /**
   * The checkpoint store's state provider. Its synchronous part (up to the first await) runs inside
   * the checkpoint write, in the same step as the store takes the offsets: offsets and counters at
   * one instant, and the analyzers frozen at it. Their states are then taken one analyzer per turn
   * of the event loop (a multi-megabyte state taken at once would hold scrapes back for tens of
   * milliseconds); records arriving meanwhile wait and are delivered at the thaw.
   */
  readonly provide = async (): Promise<CapturedPipelineState> => {
    for (const t of this.sources()) t.recordOffsets?.();
    const version = this.version();
    const lines = this.linesRead();
    const families = this.exposition.capture();
    const counters = new SavedCounters(families);
    const seq = ++this.seq;
    this.analyzers.freeze();
    let analyzers: Record<string, unknown>;
    this.arena.begin();
    try {
      analyzers = await this.analyzers.snapshotInSteps();
    } finally {
      this.arena.end();
      this.analyzers.thaw();
    }
    const state: CapturedPipelineState = { version: 1, counters, analyzers };
    this.captured.set(state, { families, version, lines, seq });
    return state;
  };

  /**
   * Restores what the last run saved (call after the checkpoint is loaded, before sources start).
   * A state that fails validation is moved aside with the checkpoint and counted; the offsets stay
   * and the pipeline starts fresh. Returns whether there was anything to restore.
   */
  async restore(): Promise<boolean> {
    this.exposition.attachBase(this.base);
    const raw = this.checkpoint.loadedState;
    if (raw === undefined) return false;
    const parsed = parsePipelineState(raw);
    if (typeof parsed === 'string') {
      await this.checkpoint.setAside(`invalid pipeline state: ${parsed}`);
      return false;
    }
    this.base.load(parsed.counters, this.exposition.bounds.limits.maxLabelValueLength);
    this.analyzers.restore(parsed.analyzers);
    this.logger.info({ counters: Object.keys(parsed.counters).length }, 'pipeline state restored from the checkpoint');
    return true;
  }

  arm(): void {
    this.armed = true;
  }

  /**
   * What /metrics shows of the pipeline: the newest durable snapshot, or undefined for live values
   * (before the first durable snapshot, and while durability is lost).
   */
  families(): CapturedFamily[] | undefined {
    if (this.durable && this.published) return this.published;
    this.liveSeq = ++this.seq;
    return undefined;
  }

  /**
   * The checkpoint timer's write. Skipped while nothing a restart needs has changed since the last
   * durable snapshot: no counter moved (every line read counts, and so do rotations, records,
   * labels and errors; offsets move only with them). The fresh capture is published instead, so
   * what ticks recompute (window aging, tick durations) stays current; aging needs no write, as a
   * restore is advanced to the clock by its first tick. An idle sidecar then writes nothing.
   *
   * Before any capture, the state version: unchanged since the published capture, nothing can have
   * moved (no line, tick, expiry or rotation), so the timer returns after one compare. The gauges
   * published stay those of the last tick, which is what recomputes them.
   */
  periodic(): Promise<void> {
    if (this.armed && this.durable && this.published && !this.inflight) {
      const version = this.version();
      if (version === this.publishedVersion) {
        this.unchanged++;
        this.skipped++;
        return Promise.resolve();
      }
      // A line read moved its counter: the compare would find a change (at 1,000 records/s, every
      // time: a capture of every family, ~100 ms of CPU a minute, thrown away).
      const lines = this.linesRead();
      if (!Number.isNaN(lines) && lines !== this.publishedLines) return this.snapshotNow();
      const families = this.exposition.capture();
      if (sameCounters(families, this.published)) {
        this.published = keepUnchanged(families, this.published);
        this.publishedVersion = version;
        this.skipped++;
        return Promise.resolve();
      }
    }
    return this.snapshotNow();
  }

  /** Periodic writes skipped because nothing had changed (tests and benches read it). */
  skipped = 0;
  /** Of those, the ones decided by the state version alone, without a capture. */
  unchanged = 0;

  /** Writes a snapshot; resolves once it is durable (or failed). Joins a write in flight. */
  snapshotNow(): Promise<void> {
    if (!this.armed) return Promise.resolve();
    this.inflight ??= this.checkpoint
      .save()
      .then((written) => {
        const c = written && typeof written === 'object' ? this.captured.get(written) : undefined;
        if (!c) {
          if (this.durable) this.logger.warn('checkpoint not durable: /metrics serves live values until a write succeeds');
          this.durable = false;
          return;
        }
        // A live render after this capture showed newer values: publishing this would go back.
        if (c.seq < this.liveSeq) return;
        if (!this.durable) this.logger.info('checkpoint durable again');
        this.published = keepUnchanged(c.families, this.published);
        this.publishedVersion = c.version;
        this.publishedLines = c.lines;
        this.durable = true;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}

/** Whether every counter and histogram sample (live families aside) is the same in both captures. */
export function sameCounters(a: readonly CapturedFamily[], b: readonly CapturedFamily[]): boolean {
  const before = new Map<string, CapturedFamily>();
  for (const f of b) if (f.type !== 'gauge') before.set(f.name, f);
  let compared = 0;
  for (const f of a) {
    if (f.type === 'gauge' || f.live) continue;
    const g = before.get(f.name);
    if (!g || g.values.length !== f.values.length) return false;
    for (let i = 0; i < f.values.length; i++) {
      const x = f.values[i];
      const y = g.values[i];
      if (!Object.is(x.value, y.value) || x.metricName !== y.metricName || !sameLabels(x.labels, y.labels)) return false;
    }
    compared++;
  }
  for (const g of before.values()) if (!g.live) compared--;
  return compared === 0;
}

