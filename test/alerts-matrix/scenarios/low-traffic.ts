/**
 * 7. A low-traffic model with a single 500: one request every 4 seconds on average for two hours and
 * one failed request at minute 60. One failure is 1/75 of the 5-minute window (1.3 %) and 1/900 of
 * the hour: under every burn-rate threshold, and the 300-request guard of the long window keeps any
 * single request from paging even at lower rates. Nothing may fire.
 */
import { SeriesSet } from '../harness/series.js';
import { carsLog, replayCars } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const FAILURE = 60;
const END = 120;

export const lowTraffic: Scenario = {
  id: '7',
  title: 'low-traffic model, a single 500',
  data: 'Auto MPG service at 0.25 req/s',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'one 500', start: FAILURE, end: END }],
  expect: [{ alert: 'ModelwatchErrorBudgetBurnFast', fires: false }],
  async build({ dir, keep }) {
    let failed = false;
    const log = carsLog({
      minutes: END,
      seed: 7,
      perSecond: () => 0.25,
      failure: (minute) => {
        if (minute < FAILURE || failed) return undefined;
        failed = true;
        return { status: 500, error: 'CUDA error: device-side assert triggered' };
      },
    });
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayCars(series, dir, keep, { log, labels: false, target: target('mpg-0:9847') });
    return { series, minutes: END };
  },
};
