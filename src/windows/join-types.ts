import type { IdBytes } from '../core/id-bytes.js';

/** What the label join takes in and what it counts: shared by the join and its prediction columns. */

export interface PredictionInput {
  requestId: string;
  /** The id's bytes in the line (core/id-bytes.ts): the store packs it from them, and reads `requestId` only when it needs the string. */
  requestIdBytes?: IdBytes;
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
