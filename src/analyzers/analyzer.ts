/**
 * An Analyzer turns records into metrics. `onRecord` is the hot path: plain arithmetic into its own
 * state, never prom-client calls per record where avoidable. Heavy work (drift, quality) runs in
 * `tick`, off the scrape path; prom-client collectors only read what the last tick stored.
 */
import type { Logger } from '../core/log.js';
import type { Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import type { CardinalityLedger } from '../metrics/cardinality.js';
import type { LabelRecord, ModelRecord } from '../records/model-record.js';
import type { Clock } from '../core/clock.js';
import type { SharedIds } from '../core/shared-ids.js';
import type { SharedSummaries } from '../windows/shared-summaries.js';

export interface AnalyzerContext {
  config: Config;
  registry: Registry;
  clock: Clock;
  logger: Logger;
  /** One-shot runs slide windows on event time only (the wall clock is far past a backfilled log). */
  oneShot?: boolean;
  /** Where analyzers report label values folded into `__overflow__` (modelwatch_series_dropped_total). */
  cardinality?: CardinalityLedger;
  /**
   * For a long tick, between its steps: yields to I/O (scrapes) and waits while a state snapshot is
   * being written (analyzer-set.ts). Absent outside an AnalyzerSet.
   */
  pause?: () => Promise<void>;
  /**
   * The one id table of data quality's duplicate check and the label join's waiting predictions
   * (core/shared-ids.ts): a record's id is probed and inserted once for both. Absent: each its own.
   */
  requestIds?: SharedIds;
  /**
   * Drift's sorts of its count windows, summarized for data quality's windows that hold the same
   * values (windows/shared-summaries.ts). Absent: each sorts its own.
   */
  summaries?: SharedSummaries;
}

export interface Analyzer {
  onRecord(record: ModelRecord): void;
  /**
   * False when onRecord has nothing to do under this config (custom metrics with none configured):
   * the AnalyzerSet then does not call it for every record. Absent: true.
   */
  readonly takesRecords?: boolean;
  onLabel?(label: LabelRecord): void;
  /**
   * For an analyzer that stages records and applies them in runs (drift): apply what it staged. The
   * AnalyzerSet calls it at the end of each burst of deliveries (a source's read), so nothing waits
   * for a later record; the analyzer's own readers (tick, snapshot, exposition) call it too.
   */
  flush?(): void;
  /**
   * Periodic heavy work; `now` in ms. Also called once at the end of a one-shot run. Returns false
   * when it changed nothing any of its metrics shows (then the checkpoint timer captures nothing
   * after an idle tick); anything else, or nothing, counts as a change.
   */
  tick?(now: number): void | boolean | Promise<void | boolean>;
  close?(): void | Promise<void>;
  /**
   * State that must survive a crash beyond counters (windows, pending joins), as JSON-safe data.
   * Counters need nothing here: their exposed values are carried over generically.
   */
  snapshot?(): unknown;
  /**
   * The same snapshot, computed in steps (yield between them) for a large state; the caller
   * guarantees nothing changes the analyzer until it is done. `forJournal`: the state goes to the
   * checkpoint store alone, whose journal may then take parts of it as deltas only (core/journaled.ts).
   */
  snapshotSteps?(forJournal?: boolean): Generator<void, unknown>;
  restore?(state: unknown): void;
  /** Model versions it holds state for (the memory budget scales its per-model parts by the largest). */
  modelVersions?(): number;
}

/** One entry of the explicit analyzer list in analyzers/index.ts. */
export interface AnalyzerFactory {
  name: string;
  /** Whether it runs under a config that does not mention it (documented; `enabled` decides). */
  defaultEnabled: boolean;
  /** Whether it runs under this config (its section's `enabled` switch). */
  enabled(config: Config): boolean;
  create(ctx: AnalyzerContext): Analyzer;
}
