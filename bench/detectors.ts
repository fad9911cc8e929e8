/**
 * Detection delay and false alarms of each concept-drift detector on streams with known change
 * points. Run: npx tsx bench/detectors.ts
 * Synthetic streams: 20 seeds each (mulberry32 1..20); delay = values after the change until the
 * first detection (median, max); false alarms = streams with a detection before the change.
 * Cars: one real stream (vega cars, |MPG error| of a 1970–74 weight model; change = first 1977
 * record; DDM gets misses |error| > 4 MPG).
 */
import { detectors } from '../src/stats/detectors/index.js';
import {
  carsStreams,
  gradualStream,
  run,
  stationaryStream,
  suddenStream,
  type ErrorStream,
} from '../test/stats/detectors/streams.js';

const SEEDS = 20;

interface Row {
  detector: string;
  stream: string;
  delay: string;
  falseAlarms: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function seeded(detector: (typeof detectors)[number], make: (seed: number) => ErrorStream): Row {
  const delays: number[] = [];
  let missed = 0;
  let alarmed = 0;
  let name = '';
  for (let seed = 1; seed <= SEEDS; seed++) {
    const stream = make(seed);
    name = stream.name;
    const result = run(detector.create(), stream);
    if (result.falseAlarms > 0) alarmed++;
    if (result.delay === undefined) missed++;
    else delays.push(result.delay);
  }
  const delay = delays.length === 0 ? '—' : `median ${median(delays)}, max ${Math.max(...delays)}`;
  return {
    detector: detector.name,
    stream: name,
    delay: missed > 0 && delays.length > 0 ? `${delay} (${missed} missed)` : delay,
    falseAlarms: `${alarmed}/${SEEDS} streams`,
  };
}

const rows: Row[] = [];
const cars = carsStreams();
for (const detector of detectors) {
  rows.push(seeded(detector, suddenStream));
  rows.push(seeded(detector, gradualStream));
  rows.push(seeded(detector, (seed) => stationaryStream(seed)));
  const stream = detector.input === 'binary' ? cars.binary : cars.real;
  // 1970–75 is stationary, 1976 a transition year: an alarm there is early, not false.
  const instance = detector.create();
  let beforeOnset = 0;
  let inTransition = 0;
  let delay: number | undefined;
  stream.values.forEach((x, t) => {
    instance.update(x);
    if (instance.state !== 2) return;
    if (t < cars.onsetIndex) beforeOnset++;
    else if (t < stream.changeIndex) inTransition++;
    else delay ??= t - stream.changeIndex;
  });
  rows.push({
    detector: detector.name,
    stream: stream.name,
    delay: delay === undefined ? '—' : `${delay} after 1977 starts`,
    falseAlarms: `${beforeOnset} in 1970–75, ${inTransition} in 1976`,
  });
}

const headers: (keyof Row)[] = ['detector', 'stream', 'delay', 'falseAlarms'];
const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => r[h].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(headers));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(headers.map((h) => row[h])));
