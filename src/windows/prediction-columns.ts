/**
 * The label join's waiting predictions as columns indexed by a FifoRows row: numbers in typed
 * arrays, and by reference only what was logged as strings or arrays. One object per waiting
 * prediction cost ~490 bytes and garbage-collector work; a row costs about half.
 */
import type { JoinOutcomes, PredictionInput } from './join-types.js';
import { captureFilled } from '../core/capture-arena.js';
import { grown } from '../core/fifo-map.js';
// How a prediction was logged (its kind), then a number or text column holds the value.
import { ABSENT, CapturedValues, NULL, NUMBER, TEXT } from './captured-values.js';

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
 * Waiting predictions as columns indexed by a FifoRows row: the numbers in typed arrays, and only
 * what is logged as strings or arrays (text predictions, scores, segment values) by reference.
 */
export class PredictionColumns {
  key = new Int32Array(16);
  kind = new Uint8Array(16);
  number = new Float64Array(16);
  timestamp = new Float64Array(16);
  arrivedAtMs = new Float64Array(16);
  /** What is held by reference, only for predictions that logged any of it (one pointer a row else). */
  readonly logged: (LoggedByReference | undefined)[] = [];

  /**
   * `maxRows`: the rows of the store's id table (the label store's max_entries, plus the duplicate
   * check's ids when it shares the table); the columns are allocated once at that size (core/id-table.ts says why).
   */
  constructor(maxRows = Infinity) {
    if (!Number.isFinite(maxRows)) return;
    this.key = new Int32Array(maxRows);
    this.kind = new Uint8Array(maxRows);
    this.number = new Float64Array(maxRows);
    this.timestamp = new Float64Array(maxRows);
    this.arrivedAtMs = new Float64Array(maxRows);
  }

  write(row: number, key: JoinKey, p: PredictionFields, arrivedAtMs: number): void {
    if (row >= this.key.length) this.grow(Math.max(row + 1, this.key.length * 2));
    const v = p.prediction;
    this.key[row] = key.index;
    this.kind[row] = v === undefined ? ABSENT : v === null ? NULL : typeof v === 'number' ? NUMBER : TEXT;
    this.number[row] = typeof v === 'number' ? v : 0;
    const text = typeof v === 'string' ? v : undefined;
    const byReference = text !== undefined || p.scores !== undefined || p.segments !== undefined;
    // Written only when there is something to hold or to let go of: a store of numeric predictions
    // keeps this array empty instead of one pointer a row (0.8 MB at 100 000 rows).
    if (byReference) this.logged[row] = { text, scores: p.scores, segments: p.segments };
    else if (row < this.logged.length && this.logged[row] !== undefined) this.logged[row] = undefined;
    this.timestamp[row] = p.timestamp;
    this.arrivedAtMs[row] = arrivedAtMs;
  }

  read(row: number, keys: readonly JoinKey[]): StoredPrediction {
    const kind = this.kind[row];
    const logged = this.logged[row];
    return {
      key: keys[this.key[row]],
      prediction: kind === NUMBER ? this.number[row] : kind === TEXT ? logged!.text : kind === NULL ? null : undefined,
      scores: logged?.scores,
      segments: logged?.segments,
      timestamp: this.timestamp[row],
      arrivedAtMs: this.arrivedAtMs[row],
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
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      key[i] = this.key[row];
      kind[i] = this.kind[row];
      number[i] = this.number[row];
      timestamp[i] = this.timestamp[row];
      arrivedAtMs[i] = this.arrivedAtMs[row];
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

  private grow(length: number): void {
    this.key = grown(this.key, length);
    this.kind = grown(this.kind, length);
    this.number = grown(this.number, length);
    this.timestamp = grown(this.timestamp, length);
    this.arrivedAtMs = grown(this.arrivedAtMs, length);
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
