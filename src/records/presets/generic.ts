/**
 * Generic JSON lines: one object per line, one complete record per object. Every ModelRecord field
 * is found through the configured `fields.*` paths (dotted or JSON pointer):
 *
 *   {"timestamp":"2024-05-14T09:21:37.512Z","request_id":"r-1","model":"churn","model_version":"3",
 *    "features":{"tenure":12,"plan":"pro"},"prediction":1,"scores":0.83,"latency_ms":12.4,"status":200}
 *
 * `features` is an object of name → value, or an array named by `feature_names` (else `f<i>`).
 * `scores` is an array, one number (a binary model's positive-class score) or an object keyed by
 * class (read in `quality.classes` order); a `prediction` that
 * is a score vector gives scores and its argmax. Latency is converted from `latency_unit` to
 * seconds. A missing model or version takes the configured default; a missing timestamp, now.
 * A line without features but with an error or a status ≥ 400 is a failed request (NO_FEATURES).
 *
 * When every path is a plain top-level key (the default), lines are first offered to a targeted
 * scanner (records/scanner.ts) that reads only those fields, from the line's bytes in the read buffer
 * (mapBytes) or from its text (mapLine); it declines anything unusual, and the line is then decoded,
 * JSON.parsed and read through the getters. Every way ends in the same `complete`.
 */
import type { FieldsConfig } from '../../config/schema.js';
import { isFailedRequest } from '../../core/failed-request.js';
import { compileFieldPath } from '../field-path.js';
import { featuresFromValue, type FeatureRow } from '../features.js';
import type { MapOutcome } from '../map-outcome.js';
import { NO_FEATURES, type ModelRecord } from '../model-record.js';
import { outputFromValue, type OutputGetters } from '../outputs.js';
import { LineScanner } from '../scanner.js';
import { LentRecord, ScannedRecord } from '../scanner-record.js';
import { parseTimestamp } from '../timestamps.js';
import { isPlainObject, scoresInClassOrder, toErrorReason, toFiniteNumber, toPrediction, toScores, toStatus, toText } from '../values.js';
import { NO_PAIR_STATS, type PresetContext, type RecordPreset } from './preset.js';

// Divided, not multiplied by 1e-3: one correctly rounded operation, where 1e-3 is itself inexact.
const UNITS_PER_SECOND: Record<FieldsConfig['latency_unit'], number> = { s: 1, ms: 1e3, us: 1e6, ns: 1e9 };

/** Slots of the raw field values, in this order in both the scanner and the getters. */
const FIELD_KEYS = ['timestamp', 'request_id', 'model', 'version', 'features', 'prediction', 'scores', 'latency', 'status', 'error'] as const;
const [TIMESTAMP, REQUEST_ID, MODEL, VERSION, FEATURES, PREDICTION, SCORES, LATENCY, STATUS, ERROR] = FIELD_KEYS.map((_, i) => i);

/** A prediction and scores already read from the record, offered to outputFromValue's object branch. */
interface OutputHolder {
  prediction: unknown;
  scores: unknown;
}
const HOLDER_GETTERS: OutputGetters = {
  prediction: (h) => (h as OutputHolder).prediction,
  scores: (h) => (h as OutputHolder).scores,
};

/** A failed request logged without features is still a request (core/failed-request.ts). */
function failedWithoutFeatures(values: readonly unknown[]): FeatureRow | undefined {
  return isFailedRequest(toStatus(values[STATUS]), toErrorReason(values[ERROR])) ? NO_FEATURES : undefined;
}

/** Stands for the scanner's columns in complete() (a lent record reads them, never this object). */
const LENT_FEATURES: FeatureRow = Object.freeze({});

/** A dotted path of one segment: a top-level key the scanner can find. */
function isTopLevelKey(path: string): boolean {
  return !path.startsWith('/') && !path.includes('.');
}

export function createGenericPreset(ctx: PresetContext): RecordPreset {
  const { fields, feature_names: names } = ctx.format;
  const paths = FIELD_KEYS.map((k) => fields[k]);
  const getters = paths.map((p) => compileFieldPath(p));
  const scanner = paths.every(isTopLevelKey) ? new LineScanner(paths, FEATURES, TIMESTAMP, REQUEST_ID) : undefined;
  const latencyDivisor = UNITS_PER_SECOND[fields.latency_unit];
  const raw = new Array<unknown>(FIELD_KEYS.length);
  const holder: OutputHolder = { prediction: undefined, scores: undefined };
  // The line being mapped (its text, or its bytes b[start, end)), for makeScanned / makeLent: one
  // function for every line rather than a closure per line.
  let scannedText: string | undefined;
  let scannedBytes: Buffer | undefined;
  let scannedStart = 0;
  let scannedEnd = 0;
  const makeScanned = (timestamp: number, model: string, version: string, features: FeatureRow): ModelRecord => {
    const record = new ScannedRecord(scannedText ?? scannedBytes!.toString('utf8', scannedStart, scannedEnd), timestamp, model, version, features, features === scanner?.row ? scanner.rowKeys : undefined);
    // An id the scanner left in its bytes (a lent record reads them; a kept one holds the string).
    const id = scanner!.idText();
    if (id !== undefined) record.requestId = id;
    return record;
  };
  // One record object lent for every line (LentRecord): a line read for a borrowing consumer allocates none.
  const lent = scanner ? new LentRecord(scanner) : undefined;
  const makeLent = (timestamp: number, model: string, version: string): ModelRecord =>
    lent!.lend(scannedText, scannedBytes, scannedStart, scannedEnd, timestamp, model, version);

  /** The records of the line the scanner just took (text or bytes set above). */
  function scannedLine(out: ModelRecord[], lend: boolean | undefined): MapOutcome {
    // A lent record reads the scanner's typed columns; its object row is made only if asked for.
    if (lend === true && scanner!.columns !== undefined) return complete(scanner!.values, LENT_FEATURES, out, makeLent, scanner!.time);
    return complete(scanner!.values, scanner!.row, out, makeScanned, scanner!.time);
  }

  /**
   * The record from raw field values; `make` builds its base (how `extra` is kept differs by path).
   * `time`: the event time already read (the scanner reads a canonical UTC string from its bytes), else from values.
   */
  function complete(
    values: readonly unknown[],
    row: FeatureRow | undefined,
    out: ModelRecord[],
    make: (timestamp: number, model: string, version: string, features: FeatureRow) => ModelRecord,
    time: number | undefined,
  ): MapOutcome {
    const features = row ?? featuresFromValue(values[FEATURES], names) ?? failedWithoutFeatures(values);
    if (features === undefined) return { error: 'missing_features' };
    const rawTime = values[TIMESTAMP];
    const timestamp = time ?? (rawTime === undefined || rawTime === null ? ctx.clock.now() / 1000 : parseTimestamp(rawTime));
    if (timestamp === undefined) return { error: 'bad_timestamp' };
    const record = make(timestamp, toText(values[MODEL]) ?? ctx.defaults.model, toText(values[VERSION]) ?? ctx.defaults.version, features);
    const requestId = toText(values[REQUEST_ID]);
    if (requestId !== undefined) record.requestId = requestId;
    const rawPrediction = values[PREDICTION];
    if (Array.isArray(rawPrediction)) {
      holder.prediction = rawPrediction;
      holder.scores = scoresInClassOrder(values[SCORES], ctx.classes);
      const output = outputFromValue(holder, HOLDER_GETTERS);
      if (output.prediction !== undefined) record.prediction = output.prediction;
      if (output.scores !== undefined) record.scores = output.scores;
    } else {
      // What outputFromValue's object branch gives for a prediction that is not a vector, without its result object.
      const prediction = toPrediction(rawPrediction);
      if (prediction !== undefined) record.prediction = prediction;
      const scores = toScores(scoresInClassOrder(values[SCORES], ctx.classes));
      if (scores !== undefined) record.scores = scores;
    }
    const latency = toFiniteNumber(values[LATENCY]);
    if (latency !== undefined && latency >= 0) record.latencySeconds = latency / latencyDivisor;
    const status = toStatus(values[STATUS]);
    if (status !== undefined) record.status = status;
    const error = toErrorReason(values[ERROR]);
    if (error !== undefined) record.error = error;
    out.push(record);
    return 'ok';
  }

  return {
    map(value, out) {
      if (!isPlainObject(value)) return { error: 'not_object' };
      for (let i = 0; i < getters.length; i++) raw[i] = getters[i](value);
      return complete(
        raw,
        undefined,
        out,
        (timestamp, model, version, features) => {
          const record: ModelRecord = { timestamp, model, version, features };
          // Not enumerable: a view of the raw input for custom_metrics, not record data to print or compare.
          Object.defineProperty(record, 'extra', { value, enumerable: false });
          return record;
        },
        undefined,
      );
    },
    mapLine: scanner
      ? (text, out, lend) => {
          if (!scanner.scan(text)) return undefined;
          scannedText = text;
          scannedBytes = undefined;
          return scannedLine(out, lend);
        }
      : undefined,
    mapBytes: scanner
      ? (bytes, start, end, out, lend) => {
          if (!scanner.scanBytes(bytes, start, end)) return undefined;
          scannedText = undefined;
          scannedBytes = bytes;
          scannedStart = start;
          scannedEnd = end;
          return scannedLine(out, lend);
        }
      : undefined,
    expire: () => undefined,
    pairStats: () => NO_PAIR_STATS,
  };
}
