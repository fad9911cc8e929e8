/**
 * 1. A binary classifier whose accuracy falls. breast_cancer (scikit-learn, the repository's quality
 * fixture): for 90 minutes the service returns the scores of the logistic regression on all 30
 * features (accuracy 0.98 on the monitoring half), then those of the same regression on two of them
 * (0.88): an upstream join lost 28 features and the model fell back. The reference half carries
 * labels, predictions and scores (reference accuracy 0.965), so per-class reference series exist
 * (`class` label): the page must match on them. 2 requests/s, labels a minute later: the 5-minute
 * window's ~600 pairs are under the alerts' 1000-pair guard, so the page comes from the 1-hour window
 * (7200 pairs). Its accuracy, a mix of the two models, falls under 0.965 − 0.05 once about 68 % of
 * its pairs are fallback scores (41 minutes, plus the label delay); with `for: 30m` and an
 * evaluation, within 80 minutes of the first fallback score.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBreastCancer } from '../data/breast-cancer.js';
import { replayInto } from '../harness/replay-series.js';
import { SeriesSet } from '../harness/series.js';
import { ModelLog } from '../log/model-log.js';
import { arrivals, lognormalMs, seeded } from '../log/traffic.js';
import type { Scenario } from './scenario.js';
import { at, sidecarConfig, START_MS, target } from './sidecar-config.js';

const INCIDENT = 90;
const END = 180;

export const classifierAccuracy: Scenario = {
  id: '1',
  title: 'binary classifier accuracy falls',
  data: 'breast_cancer (scikit-learn): 30-feature, then 2-feature logistic regression scores',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'scores from the 2-feature fallback', start: INCIDENT, end: END }],
  expect: [{ alert: 'ModelwatchModelQualityBelowReference', fires: true, withinMinutes: 80 }],
  alsoAllowed: {
    ModelwatchClassQualityBelowReference: 'recall of the benign class falls with it (ticket)',
    ModelwatchModelErrorAboveReference: 'log loss rises with the same errors',
    ModelwatchConceptDrift: 'ADWIN sees the error rate change',
    ModelwatchPredictionDrift: 'the fallback predicts the classes in other proportions',
  },
  async build({ dir, keep }) {
    const data = loadBreastCancer();
    const rand = seeded(1);
    const log = new ModelLog();
    for (const t of arrivals(START_MS, at(END), 2, rand)) {
      const i = Math.floor(rand() * data.labels.length);
      const score = (t < at(INCIDENT) ? data.fullScores : data.weakScores)[i];
      log.add({ t, model: 'tumor', version: 'v1', features: {}, prediction: score >= 0.5 ? 1 : 0, score, latencyMs: lognormalMs(30, 0.4, rand), status: 200, label: { value: data.labels[i], delayMs: 60_000 } });
    }
    const files = log.write(dir);
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, data.referenceCsv);
    const config = sidecarConfig({
      files,
      labels: true,
      reference: { path: reference, prediction_column: 'prediction', label_column: 'label' },
      extra: "quality: { task: classification, score_column: score, positive_class: '1' }",
    });
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayInto(series, dir, { config, labels: target('tumor-0:9847') }, keep);
    return { series, minutes: END };
  },
};
