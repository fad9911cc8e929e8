/**
 * LabelJoiner: joins delayed ground-truth labels to the predictions they belong to, by request id,
 * in bounded memory.
 *
 * - Predictions wait in an insertion-ordered Map for at most `ttlMs` (arrival clock) and at most
 *   `maxEntries` at once; the oldest is evicted first. Because arrival times only grow, the expired
 *   entries are always at the front of the Map, so expiry costs O(expired), not O(stored).
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
 */
import type { LabelRecord } from '../records/model-record.js';
import type { Clock } from './clock.js';
import { FifoMap } from './fifo-map.js';

export interface PredictionInput {
  requestId: string;
  model: string;
  version: string;
  prediction?: number | string | null;
  /** Class scores as logged (binary: one score for the positive class). */
  scores?: readonly number[];
  /** Event time, seconds since the epoch. */
  timestamp: number;
  /** Segment values (a few short strings) the caller slices quality by. */
  segments?: readonly string[];
}

export interface JoinOutcomes {
  joined: number;
  unmatched: number;
  expiredPrediction: number;
  duplicate: number;
}

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
  onLabelDelay?: (seconds: number, model: string, version: string) => void;
}

/** Per (model, version): shared by every stored entry of that pair, so strings are not repeated. */
interface ModelKey {
  model: string;
  version: string;
  outcomes: JoinOutcomes;
}

interface StoredPrediction {
  key: ModelKey;
  prediction: number | string | null | undefined;
  scores: readonly number[] | undefined;
  segments: readonly string[] | undefined;
  timestamp: number;
  arrivedAtMs: number;
}

interface EarlyLabel {
  label: LabelRecord;
  arrivedAtMs: number;
}

export class LabelJoiner {
  private readonly clock: Clock;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly graceMs: number;
  private readonly maxEarlyLabels: number;
  private readonly onLabelDelay: LabelJoinerOptions['onLabelDelay'];
  private readonly keys = new Map<string, ModelKey>();
  private readonly predictions = new FifoMap<StoredPrediction>();
  private readonly earlyLabels = new FifoMap<EarlyLabel>();
  /** Joined request id → when it joined, for duplicate detection. */
  private readonly joinedIds = new FifoMap<number>();

  constructor(options: LabelJoinerOptions) {
    this.clock = options.clock;
    this.maxEntries = positive('maxEntries', options.maxEntries ?? 100_000);
    this.ttlMs = positive('ttlMs', options.ttlMs ?? 3_600_000);
    this.graceMs = positive('graceMs', options.graceMs ?? 60_000);
    this.maxEarlyLabels = positive('maxEarlyLabels', options.maxEarlyLabels ?? 10_000);
    this.onLabelDelay = options.onLabelDelay;
  }

  /** Stores a prediction; joins it at once when its label is already waiting. */
  addPrediction(input: PredictionInput): JoinedPair | undefined {
    const now = this.clock.now();
    this.expire(now);
    const key = this.keyFor(input.model, input.version);
    if (this.predictions.has(input.requestId) || this.joinedIds.has(input.requestId)) {
      key.outcomes.duplicate++;
      return undefined;
    }
    const stored: StoredPrediction = {
      key,
      prediction: input.prediction,
      scores: input.scores,
      segments: input.segments,
      timestamp: input.timestamp,
      arrivedAtMs: now,
    };
    const early = this.earlyLabels.get(input.requestId);
    if (early) {
      this.earlyLabels.delete(input.requestId);
      return this.join(input.requestId, stored, early.label, now);
    }
    if (this.predictions.size >= this.maxEntries) this.evictOldestPrediction();
    this.predictions.set(input.requestId, stored);
    return undefined;
  }

  /** Joins a label to its stored prediction, or parks it for the grace period. */
  addLabel(label: LabelRecord): JoinedPair | undefined {
    const now = this.clock.now();
    this.expire(now);
    const stored = this.predictions.get(label.requestId);
    if (stored) {
      this.predictions.delete(label.requestId);
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
    this.earlyLabels.set(label.requestId, { label, arrivedAtMs: now });
    return undefined;
  }

  /** Drops what has waited too long; O(number dropped). */
  expire(nowMs: number): void {
    for (let e = this.predictions.oldest(); e && nowMs - e[1].arrivedAtMs >= this.ttlMs; e = this.predictions.oldest()) {
      this.predictions.delete(e[0]);
      e[1].key.outcomes.expiredPrediction++;
    }
    for (let e = this.earlyLabels.oldest(); e && nowMs - e[1].arrivedAtMs >= this.graceMs; e = this.earlyLabels.oldest()) {
      this.earlyLabels.delete(e[0]);
      this.keyForLabel(e[1].label).outcomes.unmatched++;
    }
    for (let e = this.joinedIds.oldest(); e && nowMs - e[1] >= this.ttlMs; e = this.joinedIds.oldest()) this.joinedIds.delete(e[0]);
  }

  stats(): { pendingPredictions: number; pendingLabels: number; byModel: (JoinOutcomes & { model: string; version: string })[] } {
    return {
      pendingPredictions: this.predictions.size,
      pendingLabels: this.earlyLabels.size,
      byModel: [...this.keys.values()].map((k) => ({ model: k.model, version: k.version, ...k.outcomes })),
    };
  }

  private join(requestId: string, stored: StoredPrediction, label: LabelRecord, now: number): JoinedPair {
    const { key } = stored;
    key.outcomes.joined++;
    if (this.joinedIds.size >= this.maxEarlyLabels) {
      this.joinedIds.shift();
    }
    this.joinedIds.set(requestId, now);
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
    const [, stored] = this.predictions.shift()!;
    stored.key.outcomes.expiredPrediction++;
  }

  private keyForLabel(label: LabelRecord): ModelKey {
    return this.keyFor(label.model ?? 'unknown', label.version ?? 'unknown');
  }

  private keyFor(model: string, version: string): ModelKey {
    const id = `${model}\u0000${version}`;
    let key = this.keys.get(id);
    if (!key) {
      key = { model, version, outcomes: { joined: 0, unmatched: 0, expiredPrediction: 0, duplicate: 0 } };
      this.keys.set(id, key);
    }
    return key;
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`label join ${name} must be > 0, got ${value}`);
  return value;
}
