/**
 * 11. Labels stop arriving. The Auto MPG service gets the true MPG of each car a minute after its
 * prediction, until the feedback pipeline breaks at minute 90; requests go on. The alert needs an
 * hour without a joined label (the last label joins at minute 91), then `for: 5m`: within 70 minutes.
 */
import { SeriesSet } from '../harness/series.js';
import { carsLog, replayCars } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const INCIDENT = 90;
const END = 180;

export const labelsStop: Scenario = {
  id: '11',
  title: 'labels stop arriving',
  data: 'Auto MPG service with ground truth, feedback broken at minute 90',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'no labels after minute 90', start: INCIDENT, end: END }],
  expect: [{ alert: 'ModelwatchLabelJoinFailing', fires: true, withinMinutes: 70 }],
  alsoAllowed: { ModelwatchLogStalled: 'the label log itself went silent: the platform side of the same incident' },
  async build({ dir, keep }) {
    const log = carsLog({ minutes: END, seed: 11, perSecond: () => 1, labelled: (minute) => minute < INCIDENT });
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayCars(series, dir, keep, { log, labels: true, target: target('mpg-0:9847') });
    return { series, minutes: END };
  },
};
