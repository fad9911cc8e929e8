/**
 * 14. The same model name in two namespaces. "mpg" runs in prod and in staging (one sidecar each,
 * 1 request/s each); prod's backend fails 30 % of requests from minute 60 to 75, staging's from
 * minute 120 to 135. Each namespace must get its own page, naming it, and only during its own
 * incident: an aggregation or Alertmanager grouping that drops `namespace` would merge them. 30 %
 * failing burns the 0.5 % budget 60× as fast: the 1-hour ratio passes 14.4× after 60 × 14.4 / 60 =
 * 14.4 minutes (SRE workbook), plus `for: 2m` and a scrape and an evaluation: within 19 minutes.
 */
import { SeriesSet } from '../harness/series.js';
import { carsLog, replayCars, type Failure } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const END = 180;
const burst = (start: number) => (minute: number, rand: () => number): Failure | undefined =>
  minute >= start && minute < start + 15 && rand() < 0.3 ? { status: 503, error: 'upstream timeout' } : undefined;

export const namespaces: Scenario = {
  id: '14',
  title: 'same model name in two namespaces',
  data: 'Auto MPG service in prod and staging, 1 req/s each',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [
    { name: 'prod fails 30 %', start: 60, end: 115 },
    { name: 'staging fails 30 %', start: 120, end: END },
  ],
  expect: [
    { alert: 'ModelwatchErrorBudgetBurnFast', labels: { namespace: 'prod' }, incident: 0, fires: true, withinMinutes: 19 },
    { alert: 'ModelwatchErrorBudgetBurnFast', labels: { namespace: 'staging' }, incident: 0, fires: false },
    { alert: 'ModelwatchErrorBudgetBurnFast', labels: { namespace: 'staging' }, incident: 1, fires: true, withinMinutes: 19 },
    { alert: 'ModelwatchErrorBudgetBurnFast', labels: { namespace: 'prod' }, incident: 1, fires: false },
  ],
  alsoAllowed: { ModelwatchErrorBudgetBurnSlow: 'the ticket tier sees the same burst (inhibited by the page in Alertmanager)' },
  async build({ dir, keep }) {
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    for (const [ns, start, seed] of [['prod', 60, 141], ['staging', 120, 142]] as const) {
      const log = carsLog({ minutes: END, seed, perSecond: () => 1, failure: burst(start) });
      await replayCars(series, dir, keep, { log, labels: false, target: target('mpg-0:9847', ns), name: ns });
    }
    return { series, minutes: END };
  },
};
