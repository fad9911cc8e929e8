/**
 * Shared by the staging tests (staged-drift, staged-data-quality): a mixed log of three model
 * versions, and the run of its lines through a record stream (lent records) into an analyzer set.
 * Each test gives its own features, so the log holds what that analyzer's staging must meet.
 */
import type { Registry } from 'prom-client';
import type { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import { formatSchema } from '../../src/config/schema.js';
import type { Clock } from '../../src/core/clock.js';
import { createRecordMapper } from '../../src/records/mapper.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { RecordStream } from '../../src/records/record-stream.js';
import { SourceStatsTable } from '../../src/records/source-stats.js';
import { Mulberry32 } from '../../src/stats/random.js';

export const T0 = 1_715_688_000;

type Pick = <T>(xs: readonly T[]) => T;

/** The features the staged tests declare (a, b and d numeric, c categorical): lines read into typed columns. */
export const TYPED_FEATURES = [
  { name: 'a', type: 'numeric' },
  { name: 'b', type: 'numeric' },
  { name: 'c', type: 'categorical' },
  { name: 'd', type: 'numeric' },
];

export interface MixedLogSpec {
  seed: number;
  /** Line i's features. */
  features(i: number, rnd: Mulberry32, pick: Pick): Record<string, unknown>;
  /** Line i's request id (default `r${i}`, no draw). */
  requestId?(i: number, rnd: Mulberry32): string;
  /** The features of the now-and-then line whose keys come in another order (an object row, not lent columns). */
  objectRow: Record<string, unknown>;
}

/**
 * Three model versions interleaved; failed requests; times that go back a little and jumps past
 * the 10-minute window's sub-buckets; now and then `a` spelled 1e999 and a line with its keys in
 * another order.
 */
export function mixedLog(n: number, spec: MixedLogSpec): string[] {
  const rnd = new Mulberry32(spec.seed);
  const pick: Pick = (xs) => xs[rnd.below(xs.length)];
  const lines: string[] = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    t += rnd.next() < 0.002 ? 400 : rnd.next() * 0.5;
    const time = rnd.next() < 0.05 ? t - 30 : t;
    const features = spec.features(i, rnd, pick);
    const [model, version] = pick([
      ['m', 'v1'],
      ['m', 'v2'],
      ['n', 'v1'],
    ]);
    const status = rnd.next() < 0.04 ? 500 : 200;
    const id = spec.requestId ? spec.requestId(i, rnd) : `r${i}`;
    let text = JSON.stringify({ timestamp: time, request_id: id, model, model_version: version, features, prediction: rnd.next(), status });
    if (rnd.next() < 0.01) text = text.replace('"a":', '"a":1e999,"a2":');
    if (rnd.next() < 0.02) text = JSON.stringify({ features: spec.objectRow, timestamp: time, model, model_version: version });
    lines.push(text);
  }
  return lines;
}

/** A snapshot as text, without its wall-clock time. */
export const withoutWallClock = (state: unknown) => JSON.stringify(state, (key, value: unknown) => (key === 'created_at' ? undefined : value));

/** Every metric but the ticks' durations (wall time). */
export const metricsWithoutTickDurations = async (registry: Registry) =>
  (await registry.metrics())
    .split('\n')
    .filter((l) => !l.startsWith('modelwatch_analyzer_tick_duration_seconds{'))
    .join('\n');

/**
 * The lines through a record stream (lent records) into the set; `after(i)` runs after line i. Only
 * a promise it returns is awaited: an await is where the set's end-of-burst flush runs, so one per
 * line would apply every record at once and leave nothing staged.
 */
export async function streamLines(set: AnalyzerSet, clock: Clock, lines: readonly string[], after: (i: number) => Promise<unknown> | undefined): Promise<void> {
  const mapper = createRecordMapper(formatSchema.parse({}), { defaults: { model: 'm', version: 'v' }, pairing: { ttl: 60, max_pending: 100 }, clock });
  const stream = new RecordStream(mapper, 'records', { borrowsRecords: true, record: (r: ModelRecord) => set.record(r), label: (l) => set.label(l) }, new SourceStatsTable());
  for (let i = 0; i < lines.length; i++) {
    stream.line(lines[i], 'log');
    const read = after(i);
    if (read !== undefined) await read;
  }
}
