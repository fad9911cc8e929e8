/**
 * Exactly-once across crashes. Offsets, analyzer state (windows, pending joins) and the exposed
 * counter values are captured in one synchronous step and written in one atomic checkpoint write.
 * /metrics serves the pipeline metrics as of the last *durable* snapshot (taking a fresh one before
 * answering), so what Prometheus has seen never runs ahead of what a restart resumes from: after
 * `kill -9`, lines after the snapshot are read again exactly once and every counter continues from
 * its last exposed value.
 */
import type { Logger } from 'pino';
import type { AnalyzerSet } from '../analyzers/analyzer-set.js';
import { CounterBase, saveSamples, type SavedSample } from '../metrics/counter-base.js';
import type { CapturedFamily, Exposition } from '../exposition/exposition.js';
import type { CheckpointStore } from '../sources/checkpoint.js';

export interface PipelineState {
  version: 1;
  counters: Record<string, SavedSample[]>;
  analyzers: Record<string, unknown>;
}

/** A source whose committed offsets go into the checkpoint (file tailers); others lack the method. */
export interface OffsetRecorder {
  recordOffsets?(): void;
}

export class StateSnapshotter {
  private readonly captured = new WeakMap<object, CapturedFamily[]>();
  private published: CapturedFamily[] | undefined;
  private inflight: Promise<CapturedFamily[] | undefined> | undefined;
  /** performance.now() of the last completed snapshot. */
  private savedAt = -Infinity;
  readonly base = new CounterBase();

  constructor(
    private readonly checkpoint: CheckpointStore,
    private readonly sources: () => readonly OffsetRecorder[],
    private readonly analyzers: AnalyzerSet,
    private readonly exposition: Exposition,
    private readonly logger: Logger,
  ) {}

  /** The checkpoint store's state provider: runs synchronously inside each checkpoint write. */
  readonly provide = (): PipelineState => {
    for (const t of this.sources()) t.recordOffsets?.();
    const families = this.exposition.capture();
    const state: PipelineState = { version: 1, counters: saveSamples(families), analyzers: this.analyzers.snapshot() };
    this.captured.set(state, families);
    return state;
  };

  /**
   * Restores what the last run saved (call after the checkpoint is loaded, before sources start).
   * Returns whether there was anything to restore.
   */
  restore(): boolean {
    this.exposition.attachBase(this.base);
    const saved = this.checkpoint.loadedState as PipelineState | undefined;
    if (!saved || saved.version !== 1) return false;
    this.base.load(saved.counters);
    this.analyzers.restore(saved.analyzers ?? {});
    this.logger.info({ counters: Object.keys(saved.counters ?? {}).length }, 'pipeline state restored from the checkpoint');
    return true;
  }

  /**
   * The periodic snapshot: skipped when a scrape already took one within `ms` (every scrape takes
   * one, so with frequent scrapes the timer adds no writes of its own).
   */
  snapshotIfOlderThan(ms: number): void {
    if (performance.now() - this.savedAt >= ms) void this.snapshotNow();
  }

  /** Writes a snapshot and returns the pipeline metrics as of the newest durable one. */
  snapshotNow(): Promise<CapturedFamily[] | undefined> {
    this.inflight ??= this.checkpoint
      .save()
      .then((written) => {
        this.savedAt = performance.now();
        const families = written && typeof written === 'object' ? this.captured.get(written) : undefined;
        if (families) this.published = families;
        return this.published;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}
