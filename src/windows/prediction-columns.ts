/**
 * The label join's waiting predictions as columns indexed by a FifoRows row: numbers in typed
 * arrays, and by reference only what was logged as strings or arrays. One object per waiting
 * prediction cost ~490 bytes and garbage-collector work; a row costs about half.
 */
import type { JoinOutcomes, PredictionInput } from './join-types.js';
import { captureFilled } from '../core/capture-arena.js';
// How a prediction was logged (its kind), then a number or text column holds the value.
import { ABSENT, CapturedValues, NULL, NUMBER, TEXT } from './captured-values.js';

/** A row's numbers side by side: its value, event time and arrival time. */
const ROW_F64 = 3;
const VALUE = 0;
const TIMESTAMP = 1;
const ARRIVED = 2;
/** The key index and the kind in one int32: index << KIND_BITS | kind. */
const KIND_BITS = 3;
const KIND_MASK = (1 << KIND_BITS) - 1;

/** Per (model, version): shared by every stored entry of that pair, so strings are not repeated. */
export interface JoinKey {
  model: string;
  version: string;
  outcomes: JoinOutcomes;
  /** Position in LabelJoiner's key list, what the prediction columns store. */
  index: number;
}


export interface LoggedByReference {
  text: string | undefined;
  scores: readonly number[] | undefined;
  segments: readonly string[] | undefined;
}

/**
 * Waiting predictions by a FifoRows row: a row's three numbers side by side (its value, event time,
 * arrival time: 24 bytes), its key index and kind in one int32, and only what is logged as strings
 * or arrays (text predictions, scores, segment values) by reference.
 *
 * Why not a typed array per field: a full store evicts its oldest prediction (its arrival time and
 * key read) and the next record's prediction takes that row (every field written). With five
 * columns the write went to three cache lines the eviction had not read, cold once the rest of the
 * pipeline had pushed them out; now it goes to the two lines the eviction has just read, and a row
 * is 28 bytes instead of 29.
 */
export class PredictionColumns {
  /** Per row: prediction value, event time, arrival time at 3·row + 0, 1, 2. */
  private f64 = new Float64Array(16 * ROW_F64);
  /** Per row: JoinKey.index << KIND_BITS | how the prediction was logged (captured-values.ts). */
  private keyKind = new Int32Array(16);
  /** What is held by reference, only for predictions that logged any of it (one pointer a row else). */
  readonly logged: (LoggedByReference | undefined)[] = [];

  /**
   * `maxRows`: the rows of the store's id table (the label store's max_entries, plus the duplicate
   * check's ids when it shares the table); the rows are allocated once at that size (core/id-table.ts says why).
   */
  constructor(maxRows = Infinity) {
    if (!Number.isFinite(maxRows)) return;
    this.f64 = new Float64Array(maxRows * ROW_F64);
    this.keyKind = new Int32Array(maxRows);
  }

  /** Rows allocated. */
  get rows(): number {
    return this.keyKind.length;
  }

  /** When the row's prediction arrived (arrival clock, ms). */
  arrivedAtMs(row: number): number {
    return this.f64[row * ROW_F64 + ARRIVED];
  }

  /** The row's JoinKey.index. */
  key(row: number): number {
    return this.keyKind[row] >> KIND_BITS;
  }

  write(row: number, key: JoinKey, p: PredictionFields, arrivedAtMs: number): void {
    if (row >= this.rows) this.grow(Math.max(row + 1, this.rows * 2));
    const v = p.prediction;
    const f = row * ROW_F64;
    this.keyKind[row] = (key.index << KIND_BITS) | (v === undefined ? ABSENT : v === null ? NULL : typeof v === 'number' ? NUMBER : TEXT);
    this.f64[f + VALUE] = typeof v === 'number' ? v : 0;
    this.f64[f + TIMESTAMP] = p.timestamp;
    this.f64[f + ARRIVED] = arrivedAtMs;
    const text = typeof v === 'string' ? v : undefined;
    const byReference = text !== undefined || p.scores !== undefined || p.segments !== undefined;
    // Written only when there is something to hold or to let go of: a store of numeric predictions
    // keeps this array empty instead of one pointer a row (0.8 MB at 100 000 rows).
    if (byReference) this.logged[row] = { text, scores: p.scores, segments: p.segments };
    else if (row < this.logged.length && this.logged[row] !== undefined) this.logged[row] = undefined;
  }

  read(row: number, keys: readonly JoinKey[]): StoredPrediction {
    const f = row * ROW_F64;
    const kind = this.keyKind[row] & KIND_MASK;
    const logged = this.logged[row];
    return {
      key: keys[this.key(row)],
      prediction: kind === NUMBER ? this.f64[f + VALUE] : kind === TEXT ? logged!.text : kind === NULL ? null : undefined,
      scores: logged?.scores,
      segments: logged?.segments,
      timestamp: this.f64[f + TIMESTAMP],
      arrivedAtMs: this.f64[f + ARRIVED],
    };
  }

  /**
   * Copies of `rows` (live rows, in that order) for a snapshot: the typed columns gathered, and
   * what is held by reference (immutable once written) by position, only for rows that logged it.
   */
  capture(rows: Int32Array): CapturedColumns {
    const n = rows.length;
    // In the capture arena during a checkpoint's capture (core/capture-arena.ts), not zeroed: every element is written below.
    const key = captureFilled(Int32Array, n);
    const kind = captureFilled(Uint8Array, n);
    const number = captureFilled(Float64Array, n);
    const timestamp = captureFilled(Float64Array, n);
    const arrivedAtMs = captureFilled(Float64Array, n);
    const logged = new Map<number, LoggedByReference>();
    const text = new Map<number, string>();
    const { f64, keyKind } = this;
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      const f = row * ROW_F64;
      key[i] = keyKind[row] >> KIND_BITS;
      kind[i] = keyKind[row] & KIND_MASK;
      number[i] = f64[f + VALUE];
      timestamp[i] = f64[f + TIMESTAMP];
      arrivedAtMs[i] = f64[f + ARRIVED];
      const l = row < this.logged.length ? this.logged[row] : undefined;
      if (l === undefined) continue;
      logged.set(i, l);
      if (kind[i] === TEXT) text.set(i, l.text!);
    }
    return { key, timestamp, arrivedAtMs, logged, values: new CapturedValues(kind, number, text) };
  }

  /** Lets go of a freed row's arrays and strings. */
  release(row: number): void {
    if (row < this.logged.length) this.logged[row] = undefined;
  }

  private grow(rows: number): void {
    const f64 = new Float64Array(rows * ROW_F64);
    f64.set(this.f64);
    this.f64 = f64;
    const keyKind = new Int32Array(rows);
    keyKind.set(this.keyKind);
    this.keyKind = keyKind;
  }
}

export interface CapturedColumns {
  /** JoinKey.index per prediction. */
  key: Int32Array;
  timestamp: Float64Array;
  arrivedAtMs: Float64Array;
  /** Text, scores and segments, by position, for the predictions that logged any. */
  logged: ReadonlyMap<number, LoggedByReference>;
  values: CapturedValues;
}

export interface StoredPrediction {
  key: JoinKey;
  prediction: number | string | null | undefined;
  scores: readonly number[] | undefined;
  segments: readonly string[] | undefined;
  timestamp: number;
  arrivedAtMs: number;
}

export type PredictionFields = Pick<PredictionInput, 'prediction' | 'scores' | 'segments' | 'timestamp'>;
