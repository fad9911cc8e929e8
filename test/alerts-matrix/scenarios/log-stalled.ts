/**
 * 12a. The model server stops writing. The Auto MPG service logs a request a second for two and a
 * half hours, then nothing; the sidecar is still scraped (replayed with --to past the end of the
 * log). The alert needs 15 minutes without a line, then `for: 15m`: within 32 minutes.
 */
import { SeriesSet } from '../harness/series.js';
import { carsLog, replayCars } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const INCIDENT = 150;
const END = 200;

export const logStalled: Scenario = {
  id: '12a',
  title: 'the model server stops writing',
  data: 'Auto MPG service, log silent from minute 150',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'log stalled', start: INCIDENT, end: END }],
  expect: [{ alert: 'ModelwatchLogStalled', labels: { source: 'requests' }, fires: true, withinMinutes: 32 }],
  async build({ dir, keep }) {
    const log = carsLog({ minutes: INCIDENT, seed: 12, perSecond: () => 1 });
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayCars(series, dir, keep, { log, labels: false, target: target('mpg-0:9847'), untilMinute: END });
    return { series, minutes: END };
  },
};
