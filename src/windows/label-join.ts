/**
 * LabelJoiner: joins delayed ground-truth labels to the predictions they belong to, by request id,
 * in bounded memory.
 *
 * - Predictions wait in insertion order (FifoRows: id → row of typed columns, no object per
 *   prediction) for at most `ttlMs` (arrival clock) and at most `maxEntries` at once; the oldest is
 *   evicted first. Because arrival times only grow, the expired entries are always at the front,
 *   so expiry costs O(expired), not O(stored).
 * - A label that arrives before its prediction waits in a small early-label buffer for `graceMs`
 *   (default 60 s, at most `maxEarlyLabels`); if its prediction comes in time they join then.
 * - Duplicates (a second prediction for a pending or just-joined id, a second label for a waiting or
 *   just-joined id) are ignored and counted. Joined ids are remembered as tombstones for `ttlMs`, at
 *   most `maxEarlyLabels`, so duplicate detection is best-effort beyond that.
 * Outcomes are counted per (model, version): joined, unmatched (a label that never met its
 * prediction within the grace period, or was pushed out of the full buffer), expired_prediction
 * (a prediction whose label never came before it expired or was evicted), duplicate. A label
 * without model/version that never matches is counted under model "unknown".
 * Label delay = label event time − prediction event time (seconds, floored at 0 against clock
 * skew) goes to `onLabelDelay` so the caller can observe a histogram.
 * Only what quality metrics need is kept: prediction, scores, event time and a few segment values.
 *
 * snapshot()/restore() carry the waiting predictions, early labels and joined-id tombstones across
 * a restart, oldest first, with their arrival times, so a label that comes after a crash still
 * joins the prediction made before it. The outcome counts are not saved: they are exposed as
 * counters, which the exposition carries over by itself.
 */
import type { LabelRecord } from '../records/model-record.js';
import { captureArray } from '../core/capture-arena.js';
import { decodeFloat64, encodeOwned, type EncodedTyped } from '../core/typed-codec.js';
import type { CapturedIds } from '../core/captured-ids.js';
import type { CapturedValues } from './captured-values.js';
import type { Clock } from '../core/clock.js';
import { detached } from '../core/detached.js';
import type { JoinOutcomes, PredictionInput } from './join-types.js';
import { PredictionColumns, type JoinKey, type StoredPrediction } from './prediction-columns.js';
import { FifoMap, FifoRows } from '../core/fifo-map.js';
import type { SharedIds } from '../core/shared-ids.js';
import { JOURNALED, type Journaled } from '../core/journaled.js';
import { JournalMemo } from './journal-memo.js';
import { decodeSavedColumns, resolveJournal, type SavedPredictionColumns } from './label-join-journal.js';

export type { JoinOutcomes, PredictionInput } from './join-types.js';

const SNAPSHOT_STEP_ROWS = 10_000;

/** Runs a stepwise computation to its end at once. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The model and version of pairs past maxModels (metrics/cardinality.ts names it OVERFLOW too). */
const OVERFLOW_KEY = '__overflow__';

export interface JoinedPair {
  requestId: string;
  model: string;
  version: string;
  prediction: number | string | null | undefined;
  scores: readonly number[] | undefined;
  segments: readonly string[] | undefined;
  label: number | string;
  predictionTimestamp: number;
  labelTimestamp: number;
  delaySeconds: number;
}

export interface LabelJoinerOptions {
  clock: Clock;
  /** Predictions kept at once; default 100 000. */
  maxEntries?: number;
  /** How long a prediction waits for its label; default 1 h. */
  ttlMs?: number;
  /** How long an early label waits for its prediction; default 60 s. */
  graceMs?: number;
  /** Early labels (and joined-id tombstones) kept at once; default 10 000. */
  maxEarlyLabels?: number;
  /**
   * Model/version pairs with their own outcome counts (modelwatch_labels_total); past it, further
   * pairs fold into `__overflow__`, as every per-model metric does. Default 100.
   */
  maxModels?: number;
  onLabelDelay?: (seconds: number, model: string, version: string) => void;
  /**
   * The id table the waiting predictions share with the other stores of request ids (data
   * quality's duplicate check): one probe and one insert a record for both. Its own otherwise.
   */
  ids?: SharedIds;
}

interface EarlyLabel {
  label: LabelRecord;
  arrivedAtMs: number;
}

/** The join store as JSON-safe columns, oldest entry first. */
export interface LabelJoinerState {
  /** The (model, version) pairs that `predictions.model` indexes. */
  models: [string, string][];
  /** Columns (typed ones as base64), so a full store of 100 000 saves in tens of milliseconds. */
  predictions: SavedPredictionColumns & {
    /** Read from a file: strings; in a snapshot not yet written: packed copies (same JSON). */
    ids: string[] | CapturedIds;
    /** A prediction logged as absent is saved as null: every caller reads both as "no prediction". */
    values: (number | string | null)[] | CapturedValues;
  };
  earlyLabels: { labels: LabelRecord[]; arrivedAtMs: EncodedTyped };
  joined: { ids: string[]; atMs: EncodedTyped };
}

export class LabelJoiner {
  private readonly clock: Clock;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly graceMs: number;
  private readonly maxEarlyLabels: number;
  private readonly maxModels: number;
  /** Label and prediction outcomes counted under `__overflow__` because maxModels was reached. */
  dropped = 0;
  private readonly onLabelDelay: LabelJoinerOptions['onLabelDelay'];
  private readonly keys = new Map<string, JoinKey>();
  /** JoinKey.index → key. */
  private readonly keyList: JoinKey[] = [];
  private lastKey: JoinKey | undefined;
  private readonly predictions: FifoRows;
  private readonly columns: PredictionColumns;
  private readonly earlyLabels = new FifoMap<EarlyLabel>();
  /** Joined request id → when it joined, for duplicate detection. */
  private readonly joinedIds = new FifoMap<number>();
  /** What the last durable checkpoint held of the store, for the checkpoint journal's deltas. */
  private readonly memo: JournalMemo;

  constructor(options: LabelJoinerOptions) {
    this.clock = options.clock;
    this.maxEntries = positive('maxEntries', options.maxEntries ?? 100_000);
    // Eviction comes before each add, so the store never holds more than maxEntries.
    this.predictions = new FifoRows(this.maxEntries, options.ids);
    // Rows are the id table's: any of them, up to its capacity, may come to hold a prediction.
    this.columns = new PredictionColumns(this.predictions.capacity);
    this.memo = new JournalMemo(this.predictions, Number.isFinite(this.maxEntries) ? this.maxEntries : 0);
    this.ttlMs = positive('ttlMs', options.ttlMs ?? 3_600_000);
    this.graceMs = positive('graceMs', options.graceMs ?? 60_000);
    this.maxEarlyLabels = positive('maxEarlyLabels', options.maxEarlyLabels ?? 10_000);
    this.maxModels = positive('maxModels', options.maxModels ?? 100);
    this.onLabelDelay = options.onLabelDelay;
  }

  /** Stores a prediction; joins it at once when its label is already waiting. */
  addPrediction(input: PredictionInput): JoinedPair | undefined {
    const now = this.clock.now();
    this.expire(now);
    const key = this.keyFor(input.model, input.version);
    // Empty stores (no labels yet, or none early) are not asked: a Map lookup hashes the id.
    // The id by its bytes where the line spelled it plainly: no string unless a label store is asked.
    if (this.predictions.has(input) || (this.joinedIds.size > 0 && this.joinedIds.has(input.requestId))) {
      key.outcomes.duplicate++;
      return undefined;
    }
    const early = this.earlyLabels.size > 0 ? this.earlyLabels.get(input.requestId) : undefined;
    if (early) {
      this.earlyLabels.delete(input.requestId);
      const stored: StoredPrediction = { key, prediction: input.prediction, scores: input.scores, segments: input.segments, timestamp: input.timestamp, arrivedAtMs: now };
      return this.join(input.requestId, stored, early.label, now);
    }
    if (this.predictions.size >= this.maxEntries) this.evictOldestPrediction();
    this.columns.write(this.predictions.add(input), key, input, now);
    return undefined;
  }

  /** Joins a label to its stored prediction, or parks it for the grace period. */
  addLabel(label: LabelRecord): JoinedPair | undefined {
    const now = this.clock.now();
    this.expire(now);
    const row = this.predictions.get(label.requestId);
    if (row !== undefined) {
      const stored = this.columns.read(row, this.keyList);
      this.deletePrediction(label.requestId);
      return this.join(label.requestId, stored, label, now);
    }
    if (this.joinedIds.has(label.requestId) || this.earlyLabels.has(label.requestId)) {
      this.keyForLabel(label).outcomes.duplicate++;
      return undefined;
    }
    if (this.earlyLabels.size >= this.maxEarlyLabels) {
      const [, oldest] = this.earlyLabels.shift()!;
      this.keyForLabel(oldest.label).outcomes.unmatched++;
    }
    this.earlyLabels.set(detached(label.requestId), { label, arrivedAtMs: now });
    return undefined;
  }

  /** Drops what has waited too long; O(number dropped). */
  expire(nowMs: number): void {
    const columns = this.columns;
    const ttlMs = this.ttlMs;
    for (let row = this.predictions.oldest(); row >= 0 && nowMs - columns.arrivedAtMs(row) >= ttlMs; row = this.predictions.oldest()) this.dropPrediction(row);
    // Runs once a prediction: the stores of labels, empty until labels come, are not walked then.
    if (this.earlyLabels.size > 0) {
      for (let e = this.earlyLabels.oldest(); e && nowMs - e[1].arrivedAtMs >= this.graceMs; e = this.earlyLabels.oldest()) {
        this.earlyLabels.delete(e[0]);
        this.keyForLabel(e[1].label).outcomes.unmatched++;
      }
    }
    if (this.joinedIds.size > 0) for (let e = this.joinedIds.oldest(); e && nowMs - e[1] >= ttlMs; e = this.joinedIds.oldest()) this.joinedIds.delete(e[0]);
  }

  stats(): { pendingPredictions: number; pendingLabels: number; byModel: (JoinOutcomes & { model: string; version: string })[] } {
    return {
      pendingPredictions: this.predictions.size,
      pendingLabels: this.earlyLabels.size,
      byModel: [...this.keys.values()].map((k) => ({ model: k.model, version: k.version, ...k.outcomes })),
    };
  }

  snapshot(forJournal = false): LabelJoinerState {
    return runSteps(this.snapshotSteps(forJournal));
  }

  /**
   * The snapshot in steps of SNAPSHOT_STEP_ROWS waiting predictions (a full store is 100,000 rows,
   * over 100 ms at once): the caller may yield to I/O at each step, provided nothing changes the
   * joiner meanwhile (the analyzer set holds records back while it takes a snapshot).
   *
   * `forJournal`: the capture is for the checkpoint, which journals the store (the checkpoint's own
   * capture). When the journal said at its last commit that it takes a delta next, only the
   * predictions added since are gathered (~4 % of the main thread at 1,000 records/s was the
   * capture of the whole store, to write its newest rows), and the state holds no whole store: it
   * restores only through the journal.
   */
  *snapshotSteps(forJournal = false): Generator<void, LabelJoinerState> {
    // Typed columns gathered in row order (a few ms for a full store): no object, string or array
    // element per prediction; ids and values become text only while the checkpoint is written.
    const memo = this.memo;
    const diff = memo.diff();
    const deltaOnly = forJournal && diff !== undefined && memo.deltaNext;
    // Delta-only, the new entries alone: the store is not walked (at 100,000 waiting predictions a walk was ~3 ms).
    const all = deltaOnly ? undefined : this.predictions.liveRows();
    const mark = memo.mark(diff, () => all!);
    const rows = all ?? diff!.added;
    const n = rows.length;
    const size = this.predictions.size;
    const c = this.columns.capture(rows);
    const ids = this.predictions.captureKeys(rows);
    yield;
    // Only the pairs that waiting predictions name, numbered in order of first appearance.
    const models: [string, string][] = [];
    const modelOf = new Int32Array(this.keyList.length).fill(-1);
    const model = captureArray(Int32Array, n);
    for (let i = 0; i < n; i++) {
      const k = c.key[i];
      if (modelOf[k] < 0) modelOf[k] = models.push([this.keyList[k].model, this.keyList[k].version]) - 1;
      model[i] = modelOf[k];
    }
    const tuples: string[][] = [];
    const tupleIndex = new Map<string, number>();
    const scoreCounts = captureArray(Int32Array, n).fill(-1);
    const scoreValues: number[] = [];
    const segment = captureArray(Int32Array, n).fill(-1);
    let done = 0;
    for (const [i, logged] of c.logged) {
      if (logged.segments) {
        const k = logged.segments.join('\u0000');
        let tuple = tupleIndex.get(k) ?? -1;
        if (tuple < 0) tupleIndex.set(k, (tuple = tuples.push([...logged.segments]) - 1));
        segment[i] = tuple;
      }
      if (logged.scores) {
        scoreCounts[i] = logged.scores.length;
        for (const x of logged.scores) scoreValues.push(x);
      }
      if (++done % SNAPSHOT_STEP_ROWS === 0) yield;
    }
    const early = [...this.earlyLabels.entries()];
    const joined = [...this.joinedIds.entries()];
    const scores = Float64Array.from(scoreValues);
    const predictions: LabelJoinerState['predictions'] = {
      ids,
      model: encodeOwned(model),
      values: c.values,
      scoreCounts: encodeOwned(scoreCounts),
      scoreValues: encodeOwned(scores),
      segmentTuples: tuples,
      segment: encodeOwned(segment),
      timestamps: encodeOwned(c.timestamp),
      arrivedAtMs: encodeOwned(c.arrivedAtMs),
    };
    // The checkpoint may journal the store (core/journaled.ts): whole now and then, else the
    // predictions added since the last durable write (the newest, from diff.addedFrom) and the
    // positions removed. Views of this capture's copies: nothing more is copied.
    let delta: unknown;
    if (diff) {
      // A delta-only capture holds the added predictions alone.
      const from = deltaOnly ? 0 : diff.addedFrom;
      let scoresBefore = 0;
      for (let i = 0; i < from; i++) scoresBefore += Math.max(0, scoreCounts[i]);
      delta = {
        removed: encodeOwned(diff.removed),
        models,
        predictions: {
          ids: ids.from(from),
          model: encodeOwned(model.subarray(from)),
          values: c.values.from(from),
          scoreCounts: encodeOwned(scoreCounts.subarray(from)),
          scoreValues: encodeOwned(scores.subarray(scoresBefore)),
          segmentTuples: tuples,
          segment: encodeOwned(segment.subarray(from)),
          timestamps: encodeOwned(c.timestamp.subarray(from)),
          arrivedAtMs: encodeOwned(c.arrivedAtMs.subarray(from)),
        },
      };
    }
    const journal: Journaled = {
      key: 'label-join',
      full: deltaOnly ? undefined : { models, predictions },
      delta,
      baseEpoch: diff ? memo.epoch : 0,
      rows: size,
      addedRows: diff ? size - diff.addedFrom : size,
      commit: (deltaNext) => memo.commit(mark, deltaNext),
      forget: () => memo.reset(),
    };
    // Delta-only, the store's place holds a mark that restore() refuses (no ids): never half a store.
    const held = deltaOnly ? { deltaOnly: true } : predictions;
    Object.defineProperty(held, JOURNALED, { value: journal, enumerable: false });
    return {
      models: deltaOnly ? [] : models,
      predictions: held as LabelJoinerState['predictions'],
      earlyLabels: { labels: early.map(([, e]) => e.label), arrivedAtMs: encodeOwned(Float64Array.from(early, ([, e]) => e.arrivedAtMs)) },
      joined: { ids: joined.map(([id]) => id), atMs: encodeOwned(Float64Array.from(joined, ([, at]) => at)) },
    };
  }

  /**
   * Adds the saved entries after any already held, oldest first, under the current limits (a
   * smaller store evicts and counts as it would have). Everything is checked before anything is
   * added: a state that does not fit throws and leaves the joiner as it was.
   */
  restore(state: unknown): void {
    const s = resolveJournal(state as LabelJoinerState);
    this.memo.reset();
    // A snapshot restored in the same process (tests, a restart of the pipeline) holds copies: read them as their JSON.
    const p = s?.predictions && { ...s.predictions, ids: asJson(s.predictions.ids), values: asJson(s.predictions.values) };
    if (!Array.isArray(s?.models) || !p || !Array.isArray(p.ids) || !Array.isArray(p.values) || !Array.isArray(p.segmentTuples)) {
      throw new Error('saved label join state has no models or predictions');
    }
    const n = p.ids.length;
    if (p.values.length !== n) throw new Error(`saved label join has ${p.values.length} prediction values for ${n} ids`);
    const { model, scoreCounts, scoreValues, segment, times, arrived } = decodeSavedColumns(p, n);
    let scoresListed = 0;
    for (let i = 0; i < n; i++) {
      if (typeof p.ids[i] !== 'string' || s.models[model[i]] === undefined) throw new Error(`saved prediction ${i} has no id or model`);
      if (segment[i] < -1 || segment[i] >= p.segmentTuples.length) throw new Error(`saved prediction ${i} names segment tuple ${segment[i]} of ${p.segmentTuples.length}`);
      scoresListed += Math.max(0, scoreCounts[i]);
    }
    if (scoresListed !== scoreValues.length) throw new Error(`saved label join lists ${scoresListed} scores, holds ${scoreValues.length}`);
    const labels = s.earlyLabels?.labels;
    if (!Array.isArray(labels) || !labels.every(isLabel)) throw new Error('saved early labels are not label records');
    const labelArrived = decodeFloat64(s.earlyLabels.arrivedAtMs, labels.length);
    const joinedIds = s.joined?.ids;
    if (!Array.isArray(joinedIds) || !joinedIds.every((id) => typeof id === 'string')) throw new Error('saved joined ids are not strings');
    const joinedAt = decodeFloat64(s.joined.atMs, joinedIds.length);

    const keys = s.models.map(([m, version]) => this.keyFor(m, version));
    let at = 0;
    for (let i = 0; i < n; i++) {
      const count = scoreCounts[i];
      const scores = count < 0 ? undefined : Array.from(scoreValues.subarray(at, (at += count)));
      const id = p.ids[i];
      if (this.predictions.has(id)) continue;
      if (this.predictions.size >= this.maxEntries) this.evictOldestPrediction();
      this.columns.write(this.predictions.add(id), keys[model[i]], {
        prediction: p.values[i],
        scores,
        segments: segment[i] < 0 ? undefined : p.segmentTuples[segment[i]],
          timestamp: times[i],
        },
        arrived[i],
      );
    }
    labels.forEach((label, i) => {
      if (this.earlyLabels.has(label.requestId)) return;
      if (this.earlyLabels.size >= this.maxEarlyLabels) this.keyForLabel(this.earlyLabels.shift()![1].label).outcomes.unmatched++;
      this.earlyLabels.set(label.requestId, { label, arrivedAtMs: labelArrived[i] });
    });
    joinedIds.forEach((id, i) => {
      if (this.joinedIds.has(id)) return;
      if (this.joinedIds.size >= this.maxEarlyLabels) this.joinedIds.shift();
      this.joinedIds.set(id, joinedAt[i]);
    });
  }

  private join(requestId: string, stored: StoredPrediction, label: LabelRecord, now: number): JoinedPair {
    const { key } = stored;
    key.outcomes.joined++;
    if (this.joinedIds.size >= this.maxEarlyLabels) {
      this.joinedIds.shift();
    }
    this.joinedIds.set(detached(requestId), now);
    const delaySeconds = Math.max(0, label.timestamp - stored.timestamp);
    this.onLabelDelay?.(delaySeconds, key.model, key.version);
    return {
      requestId,
      model: key.model,
      version: key.version,
      prediction: stored.prediction,
      scores: stored.scores,
      segments: stored.segments,
      label: label.label,
      predictionTimestamp: stored.timestamp,
      labelTimestamp: label.timestamp,
      delaySeconds,
    };
  }

  private evictOldestPrediction(): void {
    this.dropPrediction(this.predictions.oldest());
  }

  /** A waiting prediction leaves without its label (expired or evicted). */
  private dropPrediction(row: number): void {
    this.keyList[this.columns.key(row)].outcomes.expiredPrediction++;
    this.predictions.deleteRow(row);
    this.columns.release(row);
  }

  private deletePrediction(id: string): void {
    const row = this.predictions.delete(id);
    if (row !== undefined) this.columns.release(row);
  }

  private keyForLabel(label: LabelRecord): JoinKey {
    return this.keyFor(label.model ?? 'unknown', label.version ?? 'unknown');
  }

  private keyFor(model: string, version: string): JoinKey {
    // Consecutive records nearly always name the same pair: compare before building the map key.
    const last = this.lastKey;
    if (last !== undefined && last.model === model && last.version === version) return last;
    this.lastKey = this.keyForId(model, version);
    return this.lastKey;
  }

  private keyForId(model: string, version: string): JoinKey {
    let id = `${model}\u0000${version}`;
    let key = this.keys.get(id);
    if (!key && this.keys.size >= this.maxModels) {
      // The overflow pair itself is one more key: the bound is maxModels + 1.
      this.dropped++;
      [model, version] = [OVERFLOW_KEY, OVERFLOW_KEY];
      id = `${model}\u0000${version}`;
      key = this.keys.get(id);
    }
    if (!key) {
      key = { model, version, outcomes: { joined: 0, unmatched: 0, expiredPrediction: 0, duplicate: 0 }, index: this.keyList.length };
      this.keys.set(id, key);
      this.keyList.push(key);
    }
    return key;
  }
}

function asJson<T>(v: T | { toJSON(): T }): T {
  return v !== null && typeof v === 'object' && 'toJSON' in v ? v.toJSON() : v;
}

function isLabel(v: unknown): v is LabelRecord {
  const l = v as LabelRecord;
  return typeof l === 'object' && l !== null && typeof l.requestId === 'string' && typeof l.timestamp === 'number' && (typeof l.label === 'number' || typeof l.label === 'string');
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`label join ${name} must be > 0, got ${value}`);
  return value;
}
