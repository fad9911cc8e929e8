/**
 * 2. A regression whose error rises as its inputs age: the Auto MPG model fitted on 1970–1974 cars
 * serves those cars for 90 minutes, then the traffic moves one model year forward every 10 minutes
 * (1975 … 1980, then 1982: the data set has no 1981). The error grows with the cars' age (cars-drift
 * fixture: mean |error| 1.3–2.3 MPG up to 1975, 3.1 in 1977, 5.0 in 1979). At 1 request/s only the
 * 1-hour window holds the 1000 joined pairs the alerts want; its MAE/RMSE/MAPE pass 110 % of the
 * reference once the 1977–1979 cars weigh in (about 20 minutes after they start), and with
 * `for: 30m` the page comes within an hour of the first aged car.
 */
import { SeriesSet } from '../harness/series.js';
import { carsLog, replayCars } from './cars-service.js';
import type { Scenario } from './scenario.js';
import { START_MS, target } from './sidecar-config.js';

const INCIDENT = 90;
const END = 180;

export const regressionAging: Scenario = {
  id: '2',
  title: 'regression error rises as its inputs age',
  data: 'Auto MPG (vega cars.json), OLS fitted on 1970–74',
  stepSeconds: 60,
  evaluationMinutes: 1,
  incidents: [{ name: 'cars one model year newer every 10 min', start: INCIDENT, end: END }],
  expect: [{ alert: 'ModelwatchModelErrorAboveReference', fires: true, withinMinutes: 60 }],
  alsoAllowed: {
    ModelwatchModelQualityBelowReference: 'R² falls with the same errors: the same incident',
    ModelwatchConceptDrift: 'ADWIN sees the error level change',
    ModelwatchDatasetDrift: 'newer cars are lighter and less powerful: real input drift',
    ModelwatchFeatureDrift: 'the same drift, per feature',
    ModelwatchPredictionDrift: 'predictions follow the inputs',
    ModelwatchOutOfRangeSpike: 'the newest cars leave the 1970–74 range',
    ModelwatchMissingValuesSpike: 'more of the newest cars in the data set lack Horsepower',
  },
  async build({ dir, keep }) {
    let years: number[] = [];
    const log = carsLog({
      minutes: END,
      seed: 2,
      perSecond: () => 1,
      labelled: () => true,
      cars: (minute, all) => {
        if (minute < INCIDENT) return all.filter((c) => c.year <= 1974);
        if (years.length === 0) years = [...new Set(all.map((c) => c.year))].filter((y) => y > 1974);
        const year = years[Math.min(years.length - 1, Math.floor((minute - INCIDENT) / 10))];
        return all.filter((c) => c.year === year);
      },
    });
    const series = new SeriesSet(START_MS / 1000, this.stepSeconds);
    await replayCars(series, dir, keep, { log, labels: true, target: target('mpg-0:9847') });
    return { series, minutes: END };
  },
};
