/** What the label join takes in and what it counts: shared by the join and its prediction columns. */

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
