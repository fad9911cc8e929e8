/**
 * 10. A new category appears. Palmer penguins: the model was trained on the birds of Biscoe and
 * Dream; after an hour the survey adds Torgersen Island, whose 51 Adélie penguins are 15 % of the
 * traffic from then on, with an island the reference never saw. The unseen-category share of the
 * 10-minute window passes 5 % once a third of the window holds the new traffic (3.3 minutes); with
 * `for: 10m`, a scrape and an evaluation, the alert comes within 15.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPenguins, penguinsCsv, type Penguin } from '../data/penguins.js';
import { replayInto } from '../harness/replay-series.js';
import { SeriesSet } from '../harness/series.js';
import { ModelLog } from '../log/model-log.js';
import { arrivals, lognormalMs, pick, seeded } from '../log/traffic.js';
import type { Scenario } from './scenario.js';
import { at, sidecarConfig, START_MS, target } from './sidecar-config.js';

const INCIDENT = 60;
const END = 105;
const FEATURES = ['island', 'beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g'] as const;

export const newCategory: Scenario = {
  id: '10',
  title: 'a new category appears',
  data: 'Palmer penguins: Torgersen Island joins the survey',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'island "Torgersen" in 15 % of requests', start: INCIDENT, end: END }],
  expect: [{ alert: 'ModelwatchNewCategorySpike', labels: { feature: 'island' }, fires: true, withinMinutes: 15 }],
  alsoAllowed: { ModelwatchFeatureDrift: 'the island mix itself changed (info)' },
  async build({ dir, keep }) {
    const birds = loadPenguins();
    const surveyed = birds.filter((b) => b.island !== 'Torgersen');
    const rand = seeded(10);
    const log = new ModelLog();
    for (const t of arrivals(START_MS, at(END), 1, rand)) {
      const bird = pick(t < at(INCIDENT) ? surveyed : birds, rand);
      const features = Object.fromEntries(FEATURES.map((f) => [f, bird[f as keyof Penguin]]));
      log.add({ t, model: 'penguin-species', version: 'v1', features, latencyMs: lognormalMs(20, 0.4, rand), status: 200 });
    }
    const files = log.write(dir);
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, penguinsCsv(surveyed, FEATURES));
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayInto(series, dir, { config: sidecarConfig({ files, labels: false, reference: { path: reference } }), labels: target('penguin-0:9847') }, keep);
    return { series, minutes: END };
  },
};
