/**
 * Auto MPG (vega-datasets cars.json, 406 real cars, model years 1970–1982) and the demo's OLS model
 * fitted on the 1970–1974 cars: the regression whose error grows as the cars it is asked about get
 * newer. Rows without a true MPG are dropped (they could never be labelled).
 */
import { CAR_FEATURES, loadCars, modelYear, type Car } from '../../../src/demo/cars.js';
import { fitMpgModel, type MpgModel } from '../../../src/demo/mpg-model.js';

export interface CarRow {
  year: number;
  features: Record<string, number | string | null>;
  mpg: number;
  prediction: number;
}

export interface CarsData {
  model: MpgModel;
  /** Cars of the training years (1970–1974), with the model's predictions. */
  train: CarRow[];
  /** Every car, oldest first. */
  all: CarRow[];
  /** The reference CSV: features, prediction and true MPG of the training cars. */
  referenceCsv: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function toRow(car: Car, model: MpgModel): CarRow {
  const features: Record<string, number | string | null> = {};
  for (const f of CAR_FEATURES) features[f] = car[f];
  return { year: modelYear(car), features, mpg: car.Miles_per_Gallon as number, prediction: round2(model.predict(car)) };
}

let cached: CarsData | undefined;

export function carsData(): CarsData {
  if (cached) return cached;
  const cars = loadCars().filter((c) => c.Miles_per_Gallon !== null);
  const model = fitMpgModel(cars.filter((c) => modelYear(c) <= 1974));
  const all = cars.map((c) => toRow(c, model)).sort((a, b) => a.year - b.year);
  const train = all.filter((r) => r.year <= 1974);
  const header = [...CAR_FEATURES, 'prediction', 'mpg'];
  const rows = train.map((r) => [...CAR_FEATURES.map((f) => r.features[f] ?? ''), r.prediction, r.mpg].join(','));
  cached = { model, train, all, referenceCsv: [header.join(','), ...rows].join('\n') + '\n' };
  return cached;
}
