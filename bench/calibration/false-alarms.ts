/**
 * False-alarm rates on stationary real data: the rows of vega `flights-3m.parquet` (3 million US
 * flights, 2001) shuffled into a reference and the windows that follow it, so every window is
 * drawn like its reference and every "drifted" verdict is a false alarm.
 *
 * Per feature, reference size N and window size n: R references (seeded draws of N rows), each
 * with W windows of n rows drawn from the rest, without replacement. The `auto` thresholds of each
 * reference are calibrated at n for α = 0.01 and 0.05 by the production scorer; the p-value
 * methods are tallied twice, with α as their threshold and with their `auto` cut-off (tally
 * `<method> (auto)`); the fixed column uses each method's default threshold.
 */
import { readTable } from '../../src/tables/read-table.js';
import { mulberry32 } from '../../src/stats/random.js';
import type { RawValue } from '../../src/windows/reference-profile.js';
import { Comparator } from './comparator.js';

export const ALPHAS = [0.01, 0.05] as const;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const WINDOW_SIZES = [100, 1000, 10_000] as const;
export const REFERENCE_SIZES = [200, 50_000] as const;
/** Tallies of a p-value method with its `auto` cut-off are named `<method> (auto)`. */
export const AUTO_SUFFIX = ' (auto)';

export interface Feature {
  name: string;
  type: 'numeric' | 'categorical';
  values: (i: number) => RawValue;
}

export interface Tally {
  feature: string;
  referenceSize: number;
  windowSize: number;
  method: string;
  direction: 'distance' | 'p_value';
  references: number;
  windows: number;
  /** Alarms at α = 0.01 and 0.05 (calibrated distances, plain-α p-values). */
  alarms: number[];
  /** Alarms with the method's default fixed threshold. */
  fixedAlarms: number;
  /** Per reference, alarms at each α: for a cluster-robust interval. */
  perReference: number[][];
}

export async function flightsFeatures(path: string): Promise<{ rows: number; features: Feature[] }> {
  const table = await readTable(path);
  const column = (name: string) => {
    const c = table.columns.find((x) => x.name === name);
    if (!c) throw new Error(`${path} has no column ${name}`);
    return c;
  };
  const delay = column('delay');
  const date = column('date');
  const origin = column('origin');
  if (delay.kind !== 'numeric' || date.kind !== 'numeric' || origin.kind !== 'categorical') throw new Error('unexpected flights-3m column types');
  const HOUR = 3_600_000;
  return {
    rows: table.rowCount,
    features: [
      { name: 'delay (min, integer)', type: 'numeric', values: (i) => delay.values[i] },
      { name: 'departure hour', type: 'numeric', values: (i) => (date.values[i] % (24 * HOUR)) / HOUR },
      { name: 'origin (229 airports)', type: 'categorical', values: (i) => (origin.codes[i] < 0 ? null : origin.dictionary[origin.codes[i]]) },
      { name: 'departure weekday', type: 'categorical', values: (i) => WEEKDAYS[new Date(date.values[i]).getUTCDay()] },
    ],
  };
}

export interface Plan {
  references: number;
  windowsPerReference: number;
}

/** Runs every window size for one feature and reference size; tallies keyed by method then size. */
export function falseAlarms(rows: number, feature: Feature, referenceSize: number, plan: Plan, seed: number): Tally[] {
  const rand = mulberry32(seed);
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const tallies = new Map<string, Tally>();
  const tally = (method: string, direction: Tally['direction'], n: number): Tally => {
    const key = `${method}|${n}`;
    let t = tallies.get(key);
    if (!t) {
      t = { feature: feature.name, referenceSize, windowSize: n, method, direction, references: 0, windows: 0, alarms: ALPHAS.map(() => 0), fixedAlarms: 0, perReference: [] };
      tallies.set(key, t);
    }
    return t;
  };
  const needed = referenceSize + plan.windowsPerReference * WINDOW_SIZES.reduce((a, b) => a + b, 0);
  for (let r = 0; r < plan.references; r++) {
    // Partial Fisher–Yates: order[0 .. needed) is a fresh uniform draw of distinct rows.
    for (let i = 0; i < needed; i++) {
      const j = i + Math.floor(rand() * (rows - i));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    const reference = Array.from(order.subarray(0, referenceSize), feature.values);
    const comparator = new Comparator(reference, feature.type);
    let at = referenceSize;
    for (const n of WINDOW_SIZES) {
      const calibrated = comparator.calibrate(n, ALPHAS, seed * 1_000_003 + r * 17 + n);
      const seen = new Map<string, number[]>();
      for (let w = 0; w < plan.windowsPerReference; w++) {
        const window = Array.from(order.subarray(at, at + n), feature.values);
        at += n;
        const { methods, comparison } = comparator.score(window);
        for (const score of methods) {
          const { method, result } = score;
          if (result === undefined) continue;
          const t = tally(method.name, method.direction, n);
          const perRef = seen.get(method.name) ?? ALPHAS.map(() => 0);
          seen.set(method.name, perRef);
          t.windows++;
          if (score.drifted) t.fixedAlarms++;
          ALPHAS.forEach((alpha, a) => {
            const alarm = method.direction === 'p_value' ? (result.pValue ?? 1) < alpha : comparator.autoDrifted(score, comparison, calibrated, a) === true;
            if (alarm) {
              t.alarms[a]++;
              perRef[a]++;
            }
          });
          if (method.direction === 'p_value') {
            // The same test with its `auto` cut-off: the α quantile of the calibration's null p-values.
            const name = `${method.name}${AUTO_SUFFIX}`;
            const ta = tally(name, method.direction, n);
            const perRefAuto = seen.get(name) ?? ALPHAS.map(() => 0);
            seen.set(name, perRefAuto);
            ta.windows++;
            if (score.drifted) ta.fixedAlarms++;
            ALPHAS.forEach((_, a) => {
              if (comparator.autoDrifted(score, comparison, calibrated, a) === true) {
                ta.alarms[a]++;
                perRefAuto[a]++;
              }
            });
          }
        }
      }
      for (const [method, perRef] of seen) {
        const t = tallies.get(`${method}|${n}`)!;
        t.references++;
        t.perReference.push(perRef);
      }
    }
  }
  return [...tallies.values()];
}

/** 95 % interval of a rate whose windows come in clusters (per reference): ratio estimator, normal approximation. */
export function clusterInterval(t: Tally, a: number): [number, number] {
  const rate = t.alarms[a] / t.windows;
  const k = t.perReference.length;
  const perRefWindows = t.windows / k;
  let ss = 0;
  for (const alarms of t.perReference) ss += (alarms[a] - rate * perRefWindows) ** 2;
  const se = k > 1 ? Math.sqrt(ss / (k - 1) / k) / perRefWindows : 0;
  return [Math.max(0, rate - 1.96 * se), rate + 1.96 * se];
}
