/**
 * A mapping preset: how one log format becomes ModelRecords. The mapper picks one per source from
 * an explicit list (mapper.ts); each preset owns its pairing state when its format needs one.
 */
import type { FormatConfig } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { ModelRecord } from '../model-record.js';
import type { MapOutcome } from '../map-outcome.js';
import type { PairCounters } from '../pending-pairs.js';
import type { ModelDefaults } from './inference-halves.js';

export interface PresetContext {
  format: FormatConfig;
  defaults: ModelDefaults;
  pairing: { ttl: number; max_pending: number };
  clock: Clock;
  /** quality.classes: the order of a score object keyed by class (values.ts scoresInClassOrder). */
  classes?: readonly string[];
}

export interface RecordPreset {
  /** Appends zero or more complete records; appends nothing when it returns an error. */
  map(value: unknown, out: ModelRecord[]): MapOutcome;
  /**
   * Optional fast path from the line's text; undefined when it declines (the line is then JSON.parsed
   * for map). `lend`: the caller reads each record only before its next call (or retains it), so
   * records may carry the scanner's reused typed columns (records/feature-columns.ts).
   */
  mapLine?(text: string, out: ModelRecord[], lend?: boolean): MapOutcome | undefined;
  /**
   * mapLine for the line whose UTF-8 bytes are bytes[start, end) (valid UTF-8, no terminator, read
   * from a buffer that is reused after the call: records keep no reference to it past delivery).
   */
  mapBytes?(bytes: Buffer, start: number, end: number, out: ModelRecord[], lend?: boolean): MapOutcome | undefined;
  expire(nowMs: number): void;
  pairStats(): ReadonlyMap<string, Readonly<PairCounters>>;
}

export type PresetFactory = (ctx: PresetContext) => RecordPreset;

export const NO_PAIR_STATS: ReadonlyMap<string, Readonly<PairCounters>> = new Map();
