/**
 * What a valid value of each feature looks like, from config and the reference profile, and the
 * per-value check that names the issue with a value. One issue per value at most, checked in the
 * order below, so the counts of a feature's issues add up to its bad values.
 *
 *   missing        absent, null, undefined or ''
 *   type_mismatch  a numeric feature holding a non-numeric string or a boolean (a numeric string
 *                  such as "12.5" also counts: the producer changed how it writes the field)
 *   non_finite     NaN or ±Infinity (as numbers, or as the strings "NaN", "Infinity", "-Infinity", "inf")
 *   out_of_range   outside the explicit bounds, else outside the reference [min, max] widened by
 *                  `range_tolerance` × (max − min) on each side
 *   new_category   a categorical value not among the reference categories (only when the profile
 *                  kept every category: with categories folded into `__other__` an unseen value
 *                  may just be a rare one)
 */
import type { FeatureValue } from '../../records/model-record.js';
import type { FeatureProfile } from '../../windows/reference-profile.js';

export const FEATURE_ISSUES = ['missing', 'type_mismatch', 'non_finite', 'out_of_range', 'new_category'] as const;
export const RECORD_ISSUES = ['unexpected_feature', 'duplicate_request_id', 'schema_change'] as const;
export const ISSUES = [...FEATURE_ISSUES, ...RECORD_ISSUES] as const;
export type IssueName = (typeof ISSUES)[number];

export const MISSING = 0;
export const TYPE_MISMATCH = 1;
export const NON_FINITE = 2;
export const OUT_OF_RANGE = 3;
export const NEW_CATEGORY = 4;
export const UNEXPECTED_FEATURE = 5;
export const DUPLICATE_REQUEST_ID = 6;
export const SCHEMA_CHANGE = 7;
export const NO_ISSUE = -1;

export interface FeatureRule {
  name: string;
  /** Undefined until learned from the first non-missing value (no config type, no reference). */
  type: 'numeric' | 'categorical' | undefined;
  low: number;
  high: number;
  categories: Set<string> | undefined;
}

const NON_FINITE_TEXT = new Set(['nan', 'infinity', '-infinity', '+infinity', 'inf', '-inf', '+inf']);

export interface RuleOptions {
  type?: 'numeric' | 'categorical';
  profile?: FeatureProfile;
  bounds?: { min?: number; max?: number };
  tolerance: number;
}

export function buildRule(name: string, o: RuleOptions): FeatureRule {
  const rule: FeatureRule = { name, type: o.type ?? o.profile?.type, low: -Infinity, high: Infinity, categories: undefined };
  const p = o.profile;
  if (p?.type === 'numeric' && p.n > 0) {
    const slack = o.tolerance * (p.max - p.min);
    rule.low = p.min - slack;
    rule.high = p.max + slack;
  }
  if (p?.type === 'categorical' && p.other === 0 && p.categories.length > 0) rule.categories = new Set(p.categories);
  if (o.bounds?.min !== undefined) rule.low = o.bounds.min;
  if (o.bounds?.max !== undefined) rule.high = o.bounds.max;
  return rule;
}

/** The issue index of one value (NO_ISSUE when valid); learns the type on the first value if unset. */
export function checkValue(rule: FeatureRule, v: FeatureValue): number {
  if (v === undefined || v === null || v === '') return MISSING;
  if (rule.type === undefined) rule.type = typeof v === 'number' ? 'numeric' : 'categorical';
  if (rule.type === 'numeric') {
    if (typeof v === 'number') return checkNumber(rule, v);
    if (typeof v === 'string' && NON_FINITE_TEXT.has(v.trim().toLowerCase())) return NON_FINITE;
    return TYPE_MISMATCH;
  }
  if (typeof v === 'string') return checkCategory(rule, v);
  if (typeof v === 'number' && !Number.isFinite(v)) return NON_FINITE;
  if (rule.categories && !rule.categories.has(String(v))) return NEW_CATEGORY;
  return NO_ISSUE;
}

/** checkValue of a string under a rule already of categorical type ('' is missing). */
export function checkCategory(rule: FeatureRule, v: string): number {
  if (v === '') return MISSING;
  return rule.categories && !rule.categories.has(v) ? NEW_CATEGORY : NO_ISSUE;
}

/** checkValue of a number under a rule already of numeric type (the number is not boxed to be passed). */
export function checkNumber(rule: FeatureRule, x: number): number {
  if (!Number.isFinite(x)) return NON_FINITE;
  return x < rule.low || x > rule.high ? OUT_OF_RANGE : NO_ISSUE;
}

/** The issues that can occur for a feature of this type (the series exported, zeros included). */
export function applicableIssues(rule: FeatureRule): number[] {
  if (rule.type === 'numeric') return [MISSING, TYPE_MISMATCH, NON_FINITE, OUT_OF_RANGE];
  if (rule.type === 'categorical') return rule.categories ? [MISSING, NEW_CATEGORY] : [MISSING];
  return [MISSING];
}
