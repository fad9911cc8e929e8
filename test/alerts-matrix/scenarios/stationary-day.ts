/**
 * 5. A stationary day: 24 hours of record time with no incident. The Auto MPG service answers one
 * request every 15 s on average (a Poisson process) with cars of the training years, ground truth a
 * minute later, the usual latency (median 40 ms) and one failed request in 500 (0.2 %, under the
 * 0.5 % error budget). At this rate an hour holds 240 labelled pairs, under the quality alerts'
 * 1000-pair guard, so quality is measured over 6 hours (`quality.windows`), as docs/alerts.md advises;
 * drift is scored by PSI only (`drift.methods`), the primary method whose verdicts the alerts read:
 * the other methods' scores, which no rule reads, would only lengthen 1440 expositions. Every
 * alert whose traffic guard this rate passes is live (quality on the 6-hour window, drift on the
 * 1-hour one, the 6-hour and ticket burn rates, the label join); none may fire, page or ticket.
 * Scraped every minute, rules evaluated every 5 minutes over the day.
 */
import { SeriesSet } from '../harness/series.js';
import { carsLog, replayCars } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const END = 24 * 60;

export const stationaryDay: Scenario = {
  id: '5',
  title: 'a stationary day (24 h, no incident)',
  data: 'Auto MPG 1970–74 cars resampled, labels, 0.2 % 5xx',
  stepSeconds: 60,
  evaluationMinutes: 5,
  incidents: [{ name: 'none', start: -1, end: -1 }],
  expect: [{ alert: 'none', fires: false }],
  async build({ dir, keep }) {
    const log = carsLog({
      minutes: END,
      seed: 5,
      perSecond: () => 1 / 15,
      labelled: () => true,
      failure: (_m, rand) => (rand() < 1 / 500 ? { status: 503, error: 'upstream timeout' } : undefined),
    });
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayCars(series, dir, keep, { log, labels: true, target: target('mpg-0:9847'), extraConfig: 'quality: { windows: [{ duration: 6h }] }\ndrift: { methods: [psi] }' });
    return { series, minutes: END };
  },
};
