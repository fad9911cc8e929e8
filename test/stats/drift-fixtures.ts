/**
 * Loads the numpy/scipy fixtures written by scripts/gen_drift_fixtures.py and turns their raw
 * values into what the drift functions take. Missing values (null, '', 'NA', 'null', 'NaN') are
 * dropped here, as the caller of the pure functions does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'drift');

export type RawValue = number | string | null;

export interface PValueExpectation {
  statistic: number;
  p_value: number | null;
}

export interface DriftCase {
  name: string;
  source: string;
  type: 'numeric' | 'categorical';
  bins?: number;
  reference: RawValue[];
  current: RawValue[];
  missing_reference: number;
  missing_current: number;
  edges?: number[];
  categories?: string[];
  reference_counts: number[];
  current_counts: number[];
  expected: {
    psi: number;
    kl_divergence: number;
    jensen_shannon: number;
    hellinger: number;
    ks?: PValueExpectation;
    wasserstein?: number;
    /** scipy chi2_contingency([cur, ref], correction=False). */
    chi_squared?: PValueExpectation & { dof: number };
    /** scipy chisquare(cur, n_cur · r[ε]/Σr[ε]). */
    chi_squared_gof?: PValueExpectation;
  };
}

export function readFixture<T>(file: string): T {
  const path = join(FIXTURE_DIR, file);
  if (!existsSync(path)) {
    throw new Error(`missing fixture ${path}: run /usr/bin/python3 scripts/gen_drift_fixtures.py`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function loadCases(): DriftCase[] {
  return readFixture<{ cases: DriftCase[] }>('cases.json').cases;
}

const MISSING_TEXT = new Set(['', 'NA', 'null', 'NaN']);

export function isMissing(v: RawValue): boolean {
  return v === null || (typeof v === 'string' && MISSING_TEXT.has(v)) || (typeof v === 'number' && Number.isNaN(v));
}

export function numericValues(values: RawValue[]): Float64Array {
  return Float64Array.from(values.filter((v) => !isMissing(v)).map(Number));
}

export function categoryValues(values: RawValue[]): string[] {
  return values.filter((v) => !isMissing(v)).map(String);
}

/** |actual − expected| within 1e-9 relative or 1e-12 absolute: the contract for exact methods. */
export function close(actual: number, expected: number, relative = 1e-9, absolute = 1e-12): boolean {
  return Math.abs(actual - expected) <= Math.max(absolute, relative * Math.abs(expected));
}
