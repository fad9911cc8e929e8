/**
 * Coercions from raw JSON values to ModelRecord fields. Each returns undefined for a value it
 * cannot read, so a preset decides whether that is an error or just an absent field.
 */
import type { FeatureValue } from './model-record.js';

/** A finite number, or a string holding one (servers and loggers quote numbers freely). */
export function toFiniteNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Ids, model names, versions: a non-empty string, or a number written as one. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A scalar as logged; nested objects and arrays are not features and read as missing. */
export function toFeatureValue(value: unknown): FeatureValue {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    default:
      return value === null ? null : undefined;
  }
}

/** An HTTP status code (100-599, also gRPC-mapped codes), as a number or numeric string. */
export function toStatus(value: unknown): number | undefined {
  const n = toFiniteNumber(value);
  return n !== undefined && Number.isInteger(n) && n >= 0 && n < 1000 ? n : undefined;
}

/** A predicted class or regression output; booleans become 1/0. */
export function toPrediction(value: unknown): number | string | null | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' || value === null) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** An array of scores, or one number (the positive-class score of a binary model). */
export function toScores(value: unknown): number[] | undefined {
  const single = toFiniteNumber(value);
  if (single !== undefined) return [single];
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const scores = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) {
    const n = toFiniteNumber(value[i]);
    if (n === undefined) return undefined;
    scores[i] = n;
  }
  return scores;
}

/**
 * Scores logged as an object keyed by class (`{"setosa": 0.1, "versicolor": 0.7, "virginica": 0.2}`)
 * as a vector in the configured class order, which is what a score vector means everywhere else;
 * an object that lacks one of the classes gives undefined (no scores). Without configured classes,
 * or for any other value, the value is returned unchanged.
 */
export function scoresInClassOrder(value: unknown, classes: readonly string[] | undefined): unknown {
  if (classes === undefined || !isPlainObject(value)) return value;
  const vector = new Array<unknown>(classes.length);
  for (let c = 0; c < classes.length; c++) {
    if (!Object.hasOwn(value, classes[c])) return undefined;
    vector[c] = value[classes[c]];
  }
  return vector;
}

/** Index of the largest score: the predicted class of a probability vector. */
export function argmax(scores: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

const SHORT_REASON = /^[A-Za-z0-9_.:-]{1,40}$/;

/**
 * An error field becomes a `reason` label downstream, so only short token-like codes are kept
 * (`timeout`, `OUT_OF_MEMORY`); a free-text message or an object reads as plain `error`.
 */
export function toErrorReason(value: unknown): string | undefined {
  if (value === undefined || value === null || value === false || value === '') return undefined;
  if (typeof value === 'string' && SHORT_REASON.test(value)) return value.toLowerCase();
  return 'error';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
