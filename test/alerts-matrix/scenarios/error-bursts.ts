/**
 * 6. A 5xx burst and a burst of 400s for malformed payloads at 100 requests/s. Two models behind one
 * sidecar share the traffic, 50 requests/s each, so each burst is its own incident with its own
 * alert group (`model`): one model's backend times out on 30 % of its requests for ten minutes (503),
 * then the other's callers send 30 % unparseable payloads for ten minutes (400; the server logs
 * those requests without features, and they count as failed requests). 30 % failing burns the
 * 0.5 % budget 60× as fast: a full 1-hour window passes 14.4× after 60 × 14.4 / 60 = 14.4 minutes
 * (SRE workbook; sooner here, the log starts ten minutes before), plus `for: 2m` and a scrape and an
 * evaluation: within 19 minutes.
 */
import { SeriesSet } from '../harness/series.js';
import { carsLog, replayCars } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const END = 30;
const inBurst = (minute: number, start: number) => minute >= start && minute < start + 10;

export const errorBursts: Scenario = {
  id: '6',
  title: '5xx burst and malformed-payload 400s at 100 req/s',
  data: 'Auto MPG service, two models at 50 req/s each',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [
    { name: '503 on 30 % of mpg requests', start: 10, end: END },
    { name: '400 on 30 % of mpg-eu requests (no features)', start: 17, end: END },
  ],
  expect: [
    { alert: 'ModelwatchErrorBudgetBurnFast', labels: { model: 'mpg' }, incident: 0, fires: true, withinMinutes: 19 },
    { alert: 'ModelwatchErrorBudgetBurnFast', labels: { model: 'mpg-eu' }, incident: 1, fires: true, withinMinutes: 19 },
  ],
  alsoAllowed: { ModelwatchErrorBudgetBurnSlow: 'the ticket tier sees the same burst (inhibited by the page in Alertmanager)' },
  async build({ dir, keep }) {
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    const mpg = carsLog({ minutes: END, seed: 61, model: 'mpg', perSecond: () => 50, failure: (m, rand) => (inBurst(m, 10) && rand() < 0.3 ? { status: 503, error: 'upstream timeout' } : undefined) });
    const eu = carsLog({ minutes: END, seed: 62, model: 'mpg-eu', perSecond: () => 50, failure: (m, rand) => (inBurst(m, 17) && rand() < 0.3 ? { status: 400, error: 'invalid JSON payload', malformed: true } : undefined) });
    await replayCars(series, dir, keep, { log: mpg.merge(eu), labels: false, target: target('mpg-0:9847') });
    return { series, minutes: END };
  },
};
