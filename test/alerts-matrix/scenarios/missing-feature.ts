/**
 * 9. Silent failure: an upstream bug nulls one feature. The Auto MPG service keeps answering (the
 * model imputes the training mean), but from minute 60 every request arrives with Horsepower null.
 * The missing share of the 10-minute window passes 5 % within a minute; with `for: 10m` the alert
 * comes within 13 minutes.
 */
import { SeriesSet } from '../harness/series.js';
import { carsLog, replayCars } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const INCIDENT = 60;
const END = 105;

export const missingFeature: Scenario = {
  id: '9',
  title: 'an upstream bug nulls one feature',
  data: 'Auto MPG service, Horsepower null from minute 60',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'Horsepower null', start: INCIDENT, end: END }],
  expect: [{ alert: 'ModelwatchMissingValuesSpike', labels: { feature: 'Horsepower' }, fires: true, withinMinutes: 13 }],
  async build({ dir, keep }) {
    const log = carsLog({ minutes: END, seed: 9, perSecond: () => 1, features: (minute, f) => (minute >= INCIDENT ? { ...f, Horsepower: null } : f) });
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayCars(series, dir, keep, { log, labels: false, target: target('mpg-0:9847') });
    return { series, minutes: END };
  },
};
