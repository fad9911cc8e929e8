/**
 * The label join store read back from a checkpoint journal (core/journaled.ts): the checkpoint
 * store hands the part over as `{ $journal: [whole, delta, delta, …] }` (the segments up to the
 * length the checkpoint names), and this folds them into the store's ordinary saved form.
 *
 * A segment is `{ models, predictions }` (the whole store, as the checkpoint held it inline) or
 * `{ removed, models, predictions }`: positions of the store as it stood after the previous segment
 * (Int32Array, ascending) that are gone, then the predictions added since, newest last. Each segment
 * numbers its own models and segment tuples. Run only at a restore: one object per prediction is fine.
 */
import { journalSegments } from '../core/journaled.js';
import { decodeFloat64, decodeInt32, encodeTyped, type EncodedTyped } from '../core/typed-codec.js';

/** The saved store's typed prediction columns (typed ones as base64), as label-join.ts LabelJoinerState and each journal segment hold them. */
export interface SavedPredictionColumns {
  /** Int32Array: index into the state's `models`. */
  model: EncodedTyped;
  /** Int32Array: scores per prediction (−1: none logged); `scoreValues` (Float64Array) holds them in a row. */
  scoreCounts: EncodedTyped;
  scoreValues: EncodedTyped;
  /** The distinct segment-value tuples, and per prediction (Int32Array) its tuple (−1: none). */
  segmentTuples: string[][];
  segment: EncodedTyped;
  /** Float64Array: event times, seconds. */
  timestamps: EncodedTyped;
  /** Float64Array: arrival clock times, ms, so the TTL runs on across the restart. */
  arrivedAtMs: EncodedTyped;
}

/** The saved store's predictions as read from a file. */
interface SavedPredictions extends SavedPredictionColumns {
  ids: unknown[];
  values: unknown[];
}

/** The typed columns of n saved predictions (label-join.ts restore() and each journal segment read them alike). */
export function decodeSavedColumns(p: SavedPredictionColumns, n: number) {
  return {
    model: decodeInt32(p.model, n),
    scoreCounts: decodeInt32(p.scoreCounts, n),
    scoreValues: decodeFloat64(p.scoreValues),
    segment: decodeInt32(p.segment, n),
    times: decodeFloat64(p.timestamps, n),
    arrived: decodeFloat64(p.arrivedAtMs, n),
  };
}

interface SavedJoin {
  models: [string, string][];
  predictions: unknown;
}

interface Rows {
  ids: string[];
  pairs: [string, string][];
  values: (number | string | null)[];
  scores: (number[] | undefined)[];
  segments: (string[] | undefined)[];
  timestamps: number[];
  arrived: number[];
}

interface Segment {
  removed?: string;
  models: [string, string][];
  predictions: SavedPredictions;
}

/** The saved store with its journal folded in (as it is when it holds none). */
export function resolveJournal<T extends SavedJoin>(state: T): T {
  const segments = journalSegments(state?.predictions) as Segment[] | undefined;
  if (segments === undefined) return state;
  const rows: Rows = { ids: [], pairs: [], values: [], scores: [], segments: [], timestamps: [], arrived: [] };
  segments.forEach((seg: Segment, i) => {
    if (seg === null || typeof seg !== 'object') throw new Error(`label join journal segment ${i} is not an object`);
    if (i === 0 && seg.removed !== undefined) throw new Error('label join journal starts with a delta');
    if (i > 0) remove(rows, seg.removed === undefined ? new Int32Array(0) : decodeInt32(seg.removed), i);
    append(rows, seg, i);
  });
  return { ...state, ...encode(rows) };
}

function remove(rows: Rows, removed: Int32Array, segment: number): void {
  const n = rows.ids.length;
  const gone = new Uint8Array(n);
  let last = -1;
  for (const p of removed) {
    if (p <= last || p >= n) throw new Error(`label join journal segment ${segment} removes position ${p} of ${n}`);
    gone[p] = 1;
    last = p;
  }
  for (const k of Object.keys(rows) as (keyof Rows)[]) {
    const column = rows[k] as unknown[];
    let w = 0;
    for (let r = 0; r < n; r++) if (gone[r] === 0) column[w++] = column[r];
    column.length = w;
  }
}

function append(rows: Rows, seg: Segment, segment: number): void {
  const p = seg.predictions;
  if (!Array.isArray(seg.models) || !p || !Array.isArray(p.ids) || !Array.isArray(p.values) || !Array.isArray(p.segmentTuples)) {
    throw new Error(`label join journal segment ${segment} has no models or predictions`);
  }
  const n = p.ids.length;
  if (p.values.length !== n) throw new Error(`label join journal segment ${segment} has ${p.values.length} values for ${n} ids`);
  const { model, scoreCounts, scoreValues, segment: tuple, times, arrived } = decodeSavedColumns(p, n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const pair = seg.models[model[i]];
    if (!Array.isArray(pair)) throw new Error(`label join journal segment ${segment}: prediction ${i} names model ${model[i]} of ${seg.models.length}`);
    if (tuple[i] < -1 || tuple[i] >= p.segmentTuples.length) throw new Error(`label join journal segment ${segment}: prediction ${i} names segment tuple ${tuple[i]}`);
    const count = scoreCounts[i];
    if (count >= 0 && at + count > scoreValues.length) throw new Error(`label join journal segment ${segment}: scores run past their column`);
    rows.ids.push(p.ids[i] as string);
    rows.pairs.push(pair);
    rows.values.push((p.values as (number | string | null)[])[i]);
    rows.scores.push(count < 0 ? undefined : Array.from(scoreValues.subarray(at, (at += count))));
    rows.segments.push(tuple[i] < 0 ? undefined : p.segmentTuples[tuple[i]]);
    rows.timestamps.push(times[i]);
    rows.arrived.push(arrived[i]);
  }
  if (at !== scoreValues.length) throw new Error(`label join journal segment ${segment} lists ${at} scores, holds ${scoreValues.length}`);
}

function encode(rows: Rows): { models: [string, string][]; predictions: SavedPredictions } {
  const n = rows.ids.length;
  const models: [string, string][] = [];
  const modelIndex = new Map<string, number>();
  const tuples: string[][] = [];
  const tupleIndex = new Map<string, number>();
  const model = new Int32Array(n);
  const segment = new Int32Array(n).fill(-1);
  const scoreCounts = new Int32Array(n).fill(-1);
  const scoreValues: number[] = [];
  for (let i = 0; i < n; i++) {
    const [m, v] = rows.pairs[i];
    const mk = `${m}\u0000${v}`;
    let k = modelIndex.get(mk);
    if (k === undefined) modelIndex.set(mk, (k = models.push([m, v]) - 1));
    model[i] = k;
    const s = rows.segments[i];
    if (s) {
      const sk = s.join('\u0000');
      let t = tupleIndex.get(sk);
      if (t === undefined) tupleIndex.set(sk, (t = tuples.push(s) - 1));
      segment[i] = t;
    }
    const sc = rows.scores[i];
    if (sc) {
      scoreCounts[i] = sc.length;
      for (const x of sc) scoreValues.push(x);
    }
  }
  return {
    models,
    predictions: {
      ids: rows.ids,
      model: encodeTyped(model).toJSON(),
      values: rows.values,
      scoreCounts: encodeTyped(scoreCounts).toJSON(),
      scoreValues: encodeTyped(Float64Array.from(scoreValues)).toJSON(),
      segmentTuples: tuples,
      segment: encodeTyped(segment).toJSON(),
      timestamps: encodeTyped(Float64Array.from(rows.timestamps)).toJSON(),
      arrivedAtMs: encodeTyped(Float64Array.from(rows.arrived)).toJSON(),
    },
  };
}
