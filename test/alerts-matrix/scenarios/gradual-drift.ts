/**
 * 3. Gradual drift of several features. Seattle weather (vega seattle-weather.csv, 2012–2015): a
 * model trained on winter days (December–February) is fed winter days for 75 minutes, then days
 * whose date walks from mid-February to mid-July over two hours (sampled from ±10 days around the
 * walking date, any year), then summer days. Temperatures rise, rain and wind fall: real seasonal
 * drift on every feature at once. The dataset-drift alert must fire once and stay firing for as long
 * as the inputs stay drifted, however the verdicts of single ticks flicker on the way.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSeattleWeather, WEATHER_FEATURES, weatherCsv, type WeatherDay } from '../data/seattle-weather.js';
import { replayInto } from '../harness/replay-series.js';
import { SeriesSet } from '../harness/series.js';
import { ModelLog } from '../log/model-log.js';
import { arrivals, lognormalMs, pick, seeded } from '../log/traffic.js';
import type { Scenario } from './scenario.js';
import { at, sidecarConfig, START_MS, target } from './sidecar-config.js';

const WALK_START = 75;
const WALK_END = 195;
const END = 240;
const FEB_15 = 45;
const JUL_15 = 195;

const winter = (d: WeatherDay) => d.dayOfYear < 59 || d.dayOfYear >= 334;

export const gradualDrift: Scenario = {
  id: '3',
  title: 'gradual drift of several features',
  data: 'Seattle weather 2012–15 (vega seattle-weather.csv): winter → summer',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'days walk from February into July', start: WALK_START, end: END }],
  expect: [{ alert: 'ModelwatchDatasetDrift', fires: true, withinMinutes: 120, firingThroughEnd: true }],
  alsoAllowed: {
    ModelwatchFeatureDrift: 'the same drift, per feature (info)',
    ModelwatchOutOfRangeSpike: 'summer temperatures leave the winter range',
  },
  async build({ dir, keep }) {
    const days = loadSeattleWeather();
    const rand = seeded(3);
    const log = new ModelLog();
    for (const t of arrivals(START_MS, at(END), 1, rand)) {
      const minute = (t - START_MS) / 60_000;
      const walk = Math.min(1, Math.max(0, (minute - WALK_START) / (WALK_END - WALK_START)));
      const centre = FEB_15 + walk * (JUL_15 - FEB_15);
      const pool = minute < WALK_START ? days.filter(winter) : days.filter((d) => Math.abs(d.dayOfYear - centre) <= 10);
      const day = pick(pool, rand);
      const features = Object.fromEntries(WEATHER_FEATURES.map((f) => [f, day[f]]));
      log.add({ t, model: 'rain', version: 'v1', features, latencyMs: lognormalMs(20, 0.4, rand), status: 200 });
    }
    const files = log.write(dir);
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, weatherCsv(days.filter(winter)));
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayInto(series, dir, { config: sidecarConfig({ files, labels: false, reference: { path: reference } }), labels: target('rain-0:9847') }, keep);
    return { series, minutes: END };
  },
};
