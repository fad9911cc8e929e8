/**
 * Detection rates on real shifts: a fixed reference and windows drawn (seeded, without
 * replacement) from a shifted part of the same data set. Auto MPG (vega `cars.json`) by model
 * year; seattle-weather by season. Each feature's `auto` thresholds are calibrated at the window
 * size; the rate is the share of windows called drifted, beside the default fixed thresholds'.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/stats/random.js';
import type { RawValue } from '../../src/windows/reference-profile.js';
import { Comparator } from './comparator.js';
import { ALPHAS } from './false-alarms.js';

type Row = Record<string, RawValue>;

export interface Shift {
  name: string;
  reference: Row[];
  shifted: Row[];
  windowSize: number;
  features: { name: string; type: 'numeric' | 'categorical' }[];
}

export interface Detection {
  shift: string;
  feature: string;
  method: string;
  /** Windows drifted with the default fixed threshold, then with auto at each α. */
  fixed: number;
  auto: number[];
  windows: number;
}

export function realShifts(dataDir: string): Shift[] {
  const cars = JSON.parse(readFileSync(join(dataDir, 'cars.json'), 'utf8')) as Row[];
  const year = (r: Row) => Number(String(r.Year).slice(0, 4));
  const carFeatures = [
    ...['Miles_per_Gallon', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Displacement'].map((name) => ({ name, type: 'numeric' as const })),
    ...['Cylinders', 'Origin'].map((name) => ({ name, type: 'categorical' as const })),
  ];
  const [header, ...lines] = readFileSync(join(dataDir, 'seattle-weather.csv'), 'utf8').trim().split('\n');
  const columns = header.split(',');
  const weather = lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, c === 'date' || c === 'weather' ? cells[i] : Number(cells[i])])) as Row;
  });
  const month = (r: Row) => Number(String(r.date).slice(5, 7));
  const weatherFeatures = [
    ...['precipitation', 'temp_max', 'temp_min', 'wind'].map((name) => ({ name, type: 'numeric' as const })),
    { name: 'weather', type: 'categorical' as const },
  ];
  const inMonths = (months: number[], years?: number[]) => weather.filter((r) => months.includes(month(r)) && (years === undefined || years.includes(Number(String(r.date).slice(0, 4)))));
  return [
    { name: 'seattle-weather (control): spring 2012–13 → spring 2014–15', reference: inMonths([3, 4, 5], [2012, 2013]), shifted: inMonths([3, 4, 5], [2014, 2015]), windowSize: 30, features: weatherFeatures },
    { name: 'Auto MPG: 1970–74 → 1976–78', reference: cars.filter((r) => year(r) <= 1974), shifted: cars.filter((r) => year(r) >= 1976 && year(r) <= 1978), windowSize: 50, features: carFeatures },
    { name: 'Auto MPG: 1970–74 → 1980–82', reference: cars.filter((r) => year(r) <= 1974), shifted: cars.filter((r) => year(r) >= 1980), windowSize: 50, features: carFeatures },
    { name: 'seattle-weather: spring (Mar–May) → autumn (Sep–Nov)', reference: inMonths([3, 4, 5]), shifted: inMonths([9, 10, 11]), windowSize: 30, features: weatherFeatures },
    { name: 'seattle-weather: winter (Dec–Feb) → spring (Mar–May)', reference: inMonths([12, 1, 2]), shifted: inMonths([3, 4, 5]), windowSize: 30, features: weatherFeatures },
  ];
}

export function detectionRates(shift: Shift, windows: number, seed: number): Detection[] {
  const out: Detection[] = [];
  for (const feature of shift.features) {
    const comparator = new Comparator(
      shift.reference.map((r) => r[feature.name]),
      feature.type,
    );
    const calibrated = comparator.calibrate(shift.windowSize, ALPHAS, seed);
    const rand = mulberry32(seed);
    const pool = shift.shifted.map((r) => r[feature.name]);
    const tallies = new Map<string, Detection>();
    for (let w = 0; w < windows; w++) {
      // A window of distinct shifted rows: partial Fisher–Yates over a copy of the pool.
      const window: RawValue[] = [];
      const left = [...pool];
      for (let i = 0; i < shift.windowSize && left.length > 0; i++) window.push(left.splice(Math.floor(rand() * left.length), 1)[0]);
      const { methods, comparison } = comparator.score(window);
      for (const score of methods) {
        const { method, result } = score;
        if (result === undefined) continue;
        let t = tallies.get(method.name);
        if (!t) tallies.set(method.name, (t = { shift: shift.name, feature: feature.name, method: method.name, fixed: 0, auto: ALPHAS.map(() => 0), windows: 0 }));
        t.windows++;
        if (score.drifted) t.fixed++;
        ALPHAS.forEach((_, a) => {
          if (comparator.autoDrifted(score, comparison, calibrated, a)) t.auto[a]++;
        });
      }
    }
    out.push(...tallies.values());
  }
  return out;
}
