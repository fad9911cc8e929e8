/**
 * 13. Two replicas of one model, one drifts. The Auto MPG service runs as mpg-0 and mpg-1 behind a
 * load balancer, 1 request/s each; from minute 75 a routing change sends mpg-1 only the newest cars
 * (1980–1982: lighter, less powerful), while mpg-0 keeps serving the 1970–1974 mix. The drift alert
 * must name mpg-1 (and not mpg-0): a deployment-wide alert that averages the replicas hides which
 * one, and with three or more replicas would not fire at all. mpg-1's 5-minute window says "drifted"
 * a couple of minutes in, its duty cycle reaches 50 % 15 minutes later, and with `for: 5m` and an
 * evaluation the alert comes within 25. The fleet-wide PSI (the recording rules that merge the
 * replicas' bin counters) sees the fleet: between the two replicas' own scores.
 */
import { SeriesSet } from '../harness/series.js';
import type { QueryResult } from '../harness/promtool-alerts.js';
import { carsLog, replayCars } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const INCIDENT = 75;
const END = 135;
const FEATURE = 'Weight_in_lbs';

const fleetPsi = { expr: `modelwatch:feature_drift_psi:fleet_rate1h{feature="${FEATURE}"}`, atMinute: END };
const replicaPsi = { expr: `modelwatch_feature_drift_score{feature="${FEATURE}", method="psi", window="1h"}`, atMinute: END };

function psiOf(results: QueryResult[], instance: string): number {
  return results.find((r) => r.labels.instance === instance)?.value ?? NaN;
}

export const replicas: Scenario = {
  id: '13',
  title: 'two replicas, one drifts',
  data: 'Auto MPG service on mpg-0 and mpg-1; mpg-1 gets 1980–82 cars',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'mpg-1 serves only 1980–82 cars', start: INCIDENT, end: END }],
  expect: [
    { alert: 'ModelwatchDatasetDrift', labels: { instance: 'mpg-1:9847' }, fires: true, withinMinutes: 25 },
    { alert: 'ModelwatchDatasetDrift', labels: { instance: 'mpg-0:9847' }, fires: false },
  ],
  alsoAllowed: {
    ModelwatchFeatureDrift: 'the same drift, per feature (info)',
    ModelwatchPredictionDrift: 'mpg-1 predicts higher MPG for lighter cars',
    ModelwatchOutOfRangeSpike: 'the lightest 1980s cars leave the 1970–74 range',
    ModelwatchMissingValuesSpike: 'more of the 1980–82 cars in the data set lack Horsepower',
  },
  checks: [
    {
      describe: `fleet PSI of ${FEATURE} (1h, recording rules over both replicas) lies between the replicas' own`,
      queries: [fleetPsi, replicaPsi],
      // The fleet rules aggregate per feature: the other features' bins cannot change this one's score.
      series: (_name, labels) => labels.feature === undefined || labels.feature === FEATURE,
      verify(results) {
        const fleet = results(fleetPsi)[0]?.value ?? NaN;
        const [a, b] = [psiOf(results(replicaPsi), 'mpg-0:9847'), psiOf(results(replicaPsi), 'mpg-1:9847')];
        return { got: `${fleet.toFixed(2)} (mpg-0 ${a.toFixed(2)}, mpg-1 ${b.toFixed(2)})`, ok: a < fleet && fleet < b };
      },
    },
  ],
  async build({ dir, keep }) {
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    for (const [instance, seed, drifts] of [['mpg-0', 130, false], ['mpg-1', 131, true]] as const) {
      const log = carsLog({
        minutes: END,
        seed,
        perSecond: () => 1,
        cars: (minute, all) => all.filter((c) => (drifts && minute >= INCIDENT ? c.year >= 1980 : c.year <= 1974)),
      });
      await replayCars(series, dir, keep, { log, labels: false, target: target(`${instance}:9847`), name: instance });
    }
    return { series, minutes: END };
  },
};
