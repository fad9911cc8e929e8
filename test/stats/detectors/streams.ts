/**
 * Error streams with known change points, shared by the detector tests and bench/detectors.ts.
 * Synthetic streams are Bernoulli errors from the seeded mulberry32; the real one is the vega cars
 * fixture (absolute MPG errors of a 1970–74 model, by year; see scripts/gen_quality_fixtures.py).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mulberry32 } from '../../../src/stats/random.js';

export interface ErrorStream {
  name: string;
  values: Float64Array;
  /** Index of the first value drawn after the change. */
  changeIndex: number;
  /** 'binary': 0/1 errors; 'real': any value. */
  input: 'binary' | 'real';
}

/** Error rate 0.1 until t = 1000, then 0.4. */
export function suddenStream(seed: number, length = 2000): ErrorStream {
  return bernoulliStream('sudden 0.1→0.4 @1000', seed, length, (t) => (t < 1000 ? 0.1 : 0.4));
}

/** Error rate 0.1 until t = 1000, rising linearly to 0.4 at t = 1500, then 0.4. */
export function gradualStream(seed: number, length = 2500): ErrorStream {
  return bernoulliStream('gradual 0.1→0.4 @1000-1500', seed, length, (t) =>
    t < 1000 ? 0.1 : t < 1500 ? 0.1 + (0.3 * (t - 1000)) / 500 : 0.4,
  );
}

/** A long stationary stream: any detection on it is a false alarm. */
export function stationaryStream(seed: number, length = 5000): ErrorStream {
  return { ...bernoulliStream('stationary 0.1', seed, length, () => 0.1), changeIndex: length };
}

function bernoulliStream(name: string, seed: number, length: number, rate: (t: number) => number): ErrorStream {
  const random = mulberry32(seed);
  const values = new Float64Array(length);
  for (let t = 0; t < length; t++) values[t] = random() < rate(t) ? 1 : 0;
  return { name, values, changeIndex: 1000, input: 'binary' };
}

interface CarsDrift {
  onsetIndex: number;
  changeIndex: number;
  years: number[];
  absErrors: number[];
}

/** Threshold that turns an absolute MPG error into a 0/1 "miss" for DDM. */
export const CARS_MISS_MPG = 4;

/**
 * vega cars sorted by year, |MPG − f(weight)| with f fitted on 1970–74. 1970–75 is stationary
 * (mean |error| 1.3–2.3 MPG per year); the shift starts in 1976 (`onsetIndex`, signed error +1.6)
 * and is clear from the first 1977 record (`changeIndex`: |error| 3.1 in 1977, 5.0 in 1979, 10 in 1980).
 * Streams use changeIndex; a detection in 1976 is early, not false.
 */
export function carsStreams(): { real: ErrorStream; binary: ErrorStream; years: number[]; onsetIndex: number } {
  const url = new URL('../../fixtures/quality/cars-drift.json', import.meta.url);
  if (!existsSync(url)) throw new Error(`missing ${url.pathname}: run /usr/bin/python3 scripts/gen_quality_fixtures.py`);
  const fixture = JSON.parse(readFileSync(url, 'utf8')) as CarsDrift;
  const real = Float64Array.from(fixture.absErrors);
  return {
    real: { name: 'cars abs error (MPG)', values: real, changeIndex: fixture.changeIndex, input: 'real' },
    binary: {
      name: `cars miss (abs error > ${CARS_MISS_MPG} MPG)`,
      values: real.map((e) => (e > CARS_MISS_MPG ? 1 : 0)),
      changeIndex: fixture.changeIndex,
      input: 'binary',
    },
    years: fixture.years,
    onsetIndex: fixture.onsetIndex,
  };
}

export interface RunResult {
  /** Detections before the change point. */
  falseAlarms: number;
  /** Values after the change until the first detection; undefined when none. */
  delay: number | undefined;
}

/** Feeds a stream to a detector and scores it against the stream's change point. */
export function run(detector: { update(x: number): void; state: number }, stream: ErrorStream): RunResult {
  let falseAlarms = 0;
  let delay: number | undefined;
  for (let t = 0; t < stream.values.length; t++) {
    detector.update(stream.values[t]);
    if (detector.state !== 2) continue;
    if (t < stream.changeIndex) falseAlarms++;
    else if (delay === undefined) delay = t - stream.changeIndex;
  }
  return { falseAlarms, delay };
}
