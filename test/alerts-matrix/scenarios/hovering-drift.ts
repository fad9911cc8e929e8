/**
 * 4. One feature whose drift score hovers around its threshold for hours. Palmer penguins: a model on
 * body mass and flipper length; after an hour the colony's scale is recalibrated wrongly and every
 * bird weighs 250 g more. That shift puts the body-mass PSI just under its threshold (0.17 against
 * 0.2); the 5-minute window's score, ±0.07 from sampling and biased up by its few samples, says
 * "drifted" on about half of the ticks, in runs of a few minutes. With two features, one drifted feature is a drifted dataset
 * (`drift.dataset_drift_share` 0.5), so the dataset alert sees the same flicker. Three hours of it
 * must be one notification at most.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPenguins, penguinsCsv } from '../data/penguins.js';
import { replayInto } from '../harness/replay-series.js';
import { SeriesSet } from '../harness/series.js';
import { ModelLog } from '../log/model-log.js';
import { arrivals, lognormalMs, pick, seeded } from '../log/traffic.js';
import type { Scenario } from './scenario.js';
import { at, sidecarConfig, START_MS, target } from './sidecar-config.js';

const INCIDENT = 60;
const END = 240;
const SCALE_ERROR_G = 250;

export const hoveringDrift: Scenario = {
  id: '4',
  title: 'one feature hovers at its drift threshold for hours',
  data: 'Palmer penguins (vega penguins.json): body mass read 250 g heavy',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'body-mass PSI at its threshold for 3 h', start: INCIDENT, end: END }],
  expect: [{ alert: 'ModelwatchDatasetDrift', fires: true, withinMinutes: 180, maxNotifications: 1 }],
  alsoAllowed: { ModelwatchFeatureDrift: 'the body-mass feature itself (info, not notified)' },
  async build({ dir, keep }) {
    const birds = loadPenguins();
    const rand = seeded(4);
    const log = new ModelLog();
    for (const t of arrivals(START_MS, at(END), 1, rand)) {
      const bird = pick(birds, rand);
      const bodyMass = bird.body_mass_g + (t >= at(INCIDENT) ? SCALE_ERROR_G : 0);
      log.add({ t, model: 'penguin-sex', version: 'v1', features: { body_mass_g: bodyMass, flipper_length_mm: bird.flipper_length_mm }, latencyMs: lognormalMs(20, 0.4, rand), status: 200 });
    }
    const files = log.write(dir);
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, penguinsCsv(birds, ['body_mass_g', 'flipper_length_mm']));
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayInto(series, dir, { config: sidecarConfig({ files, labels: false, reference: { path: reference } }), labels: target('penguin-0:9847') }, keep);
    return { series, minutes: END };
  },
};
