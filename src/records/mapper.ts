/**
 * The records stage's entry point: one mapper per source, built from its `format` config. The
 * caller JSON.parses (and counts `invalid_json`); the mapper turns the value into complete
 * ModelRecords through the preset named in the config, chosen from the explicit list below.
 */
import type { FormatConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { createLabelMapper } from './label-mapper.js';
import type { MapErrorReason, MapOutcome } from './map-outcome.js';
import type { LabelRecord, ModelRecord } from './model-record.js';
import type { PairCounters } from './pending-pairs.js';
import { createGenericPreset } from './presets/generic.js';
import { createKServePreset } from './presets/kserve.js';
import { createOpenInferencePreset } from './presets/open-inference-v2.js';
import type { PresetFactory } from './presets/preset.js';

export type { MapErrorReason, MapOutcome } from './map-outcome.js';
export { MAP_ERROR_REASONS } from './map-outcome.js';
export type { PairCounters } from './pending-pairs.js';

export const PRESETS: Record<FormatConfig['preset'], PresetFactory> = {
  generic: createGenericPreset,
  kserve: createKServePreset,
  'open-inference-v2': createOpenInferencePreset,
};

export interface RecordMapperOptions {
  /** Model name and version for records that name none (config `model`). */
  defaults: { model: string; version: string };
  /** Config `pairing`: seconds a request/response half waits, and the most halves kept. */
  pairing: { ttl: number; max_pending: number };
  clock: Clock;
  /** quality.classes: scores logged as an object keyed by class are read in this order. */
  classes?: readonly string[];
}

export interface RecordMapper {
  /** Appends zero or more complete records to `out` (nothing on error). */
  map(value: unknown, out: ModelRecord[]): MapOutcome;
  /**
   * Same result as JSON.parse + map when defined and not undefined; undefined: parse and call map.
   * `lend`: records may be lent (valid until the next call unless retained; see RecordPreset).
   */
  mapLine?(text: string, out: ModelRecord[], lend?: boolean): MapOutcome | undefined;
  /** mapLine for a line given as its UTF-8 bytes, bytes[start, end), in a reused read buffer. */
  mapBytes?(bytes: Buffer, start: number, end: number, out: ModelRecord[], lend?: boolean): MapOutcome | undefined;
  /** For `role: labels` sources. */
  mapLabel(value: unknown): LabelRecord | { error: MapErrorReason };
  /** Pairing counters per model (empty for formats that need no pairing). */
  pairStats(): ReadonlyMap<string, Readonly<PairCounters>>;
  /** model → halves waiting now: the `pending` column of pairStats, for a gauge. */
  pendingByModel(): IterableIterator<[string, number]>;
  /** Drops request/response halves older than the TTL; call on a tick. */
  expire(nowMs: number): void;
}

/** Throws on a malformed field path, so a bad config fails at startup. */
export function createRecordMapper(format: FormatConfig, opts: RecordMapperOptions): RecordMapper {
  const preset = PRESETS[format.preset]({ format, defaults: opts.defaults, pairing: opts.pairing, clock: opts.clock, classes: opts.classes });
  const mapLabel = createLabelMapper(format.fields, opts.clock);
  return {
    map: (value, out) => preset.map(value, out),
    mapLine: preset.mapLine?.bind(preset),
    mapBytes: preset.mapBytes?.bind(preset),
    mapLabel,
    pairStats: () => preset.pairStats(),
    *pendingByModel() {
      for (const [model, counters] of preset.pairStats()) yield [model, counters.pending];
    },
    expire: (nowMs) => preset.expire(nowMs),
  };
}
