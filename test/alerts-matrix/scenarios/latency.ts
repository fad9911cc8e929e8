/**
 * 8. p99 latency triples. The Auto MPG service at 1 request/s answers in a log-normal time (median
 * 150 ms, p99 340 ms: 0.03 % of requests slower than the 0.5 s SLO bucket); after 90 minutes a
 * slower instance type triples every latency (p99 1 s, 38 % slower than 0.5 s, 38× the 1 % budget).
 * The 6-hour ratio passes 6× (6 %) after about 17 minutes of it, the 30-minute one at once; with
 * `for: 2m` the latency page comes within half an hour.
 */
import { SeriesSet } from '../harness/series.js';
import { lognormalMs } from '../log/traffic.js';
import { carsLog, replayCars } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const INCIDENT = 90;
const END = 150;

export const latencyTriples: Scenario = {
  id: '8',
  title: 'p99 latency triples',
  data: 'Auto MPG service, log-normal latency',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'every latency × 3', start: INCIDENT, end: END }],
  expect: [{ alert: 'ModelwatchLatencyBudgetBurnFast', fires: true, withinMinutes: 30 }],
  alsoAllowed: { ModelwatchLatencyBudgetBurnSlow: 'the ticket tier sees it too (inhibited by the page in Alertmanager)' },
  async build({ dir, keep }) {
    const log = carsLog({ minutes: END, seed: 8, perSecond: () => 1, latencyMs: (minute, rand) => lognormalMs(150, 0.35, rand) * (minute >= INCIDENT ? 3 : 1) });
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayCars(series, dir, keep, { log, labels: false, target: target('mpg-0:9847') });
    return { series, minutes: END };
  },
};
