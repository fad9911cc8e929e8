/**
 * The model service most scenarios run: the Auto MPG regression (fitted on 1970–1974) served
 * behind an HTTP API, its request log and, when ground truth is on, the true MPG of each car a
 * minute later. Traffic, latency, failures, feature values and labels are hooks per minute, so each
 * scenario states only its incident.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { carsData, type CarRow } from '../data/cars.js';
import { ModelLog } from '../log/model-log.js';
import { arrivals, lognormalMs, pick, seeded, type Random } from '../log/traffic.js';
import { replayInto } from '../harness/replay-series.js';
import type { Keep, SeriesSet } from '../harness/series.js';
import { at, sidecarConfig } from './sidecar-config.js';

export interface Failure {
  status: number;
  error?: string;
  /** The payload could not be parsed: the server logs the request without features. */
  malformed?: boolean;
}

export interface CarsTraffic {
  minutes: number;
  seed: number;
  model?: string;
  /** Requests per second during the minute (a Poisson process). */
  perSecond: (minute: number) => number;
  /** Cars served during the minute (default: the training years, 1970–1974). */
  cars?: (minute: number, all: readonly CarRow[]) => readonly CarRow[];
  latencyMs?: (minute: number, rand: Random) => number;
  failure?: (minute: number, rand: Random) => Failure | undefined;
  features?: (minute: number, features: Record<string, number | string | null>) => Record<string, number | string | null>;
  /** Whether the request's ground truth arrives (default: no label log at all). */
  labelled?: (minute: number) => boolean;
}

/** Normal latency: median 40 ms, p99 ≈ 100 ms. */
export const normalLatency = (_minute: number, rand: Random) => lognormalMs(40, 0.4, rand);

export function carsLog(o: CarsTraffic): ModelLog {
  const data = carsData();
  const rand = seeded(o.seed);
  const log = new ModelLog(o.model ?? 'mpg');
  for (let minute = 0; minute < o.minutes; minute++) {
    const rows = o.cars?.(minute, data.all) ?? data.train;
    for (const t of arrivals(at(minute), at(minute + 1), o.perSecond(minute), rand)) {
      const car = pick(rows, rand);
      const failure = o.failure?.(minute, rand);
      const latencyMs = (o.latencyMs ?? normalLatency)(minute, rand);
      if (failure) {
        log.add({ t, model: o.model ?? 'mpg', version: 'v1', features: failure.malformed ? undefined : car.features, latencyMs, status: failure.status, error: failure.error });
        continue;
      }
      const features = o.features ? o.features(minute, { ...car.features }) : car.features;
      const label = o.labelled?.(minute) ? { value: car.mpg, delayMs: 60_000 } : undefined;
      log.add({ t, model: o.model ?? 'mpg', version: 'v1', features, prediction: car.prediction, latencyMs, status: 200, label });
    }
  }
  return log;
}

export interface CarsReplay {
  log: ModelLog;
  labels: boolean;
  target: Record<string, string>;
  /** Replay until this minute even after the log ends. */
  untilMinute?: number;
  /** File name stem, when several logs share a directory. */
  name?: string;
  extraConfig?: string;
}

/** Writes the log, the reference and the config, and replays them into the set. */
export async function replayCars(set: SeriesSet, dir: string, keep: Keep, o: CarsReplay): Promise<void> {
  const files = o.log.write(dir, o.name ?? 'requests');
  const reference = join(dir, 'cars-reference.csv');
  writeFileSync(reference, carsData().referenceCsv);
  const config = sidecarConfig({ files, labels: o.labels, reference: { path: reference, prediction_column: 'prediction', label_column: 'mpg' }, extra: o.extraConfig });
  await replayInto(set, dir, { config, labels: o.target, toSeconds: o.untilMinute === undefined ? undefined : at(o.untilMinute) / 1000 }, keep);
}
