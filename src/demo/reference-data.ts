/**
 * The demo's reference: the training cars (1970–1974) with the model's predictions and the true
 * MPG, written as CSV — what a user hands modelwatch as `reference.path`.
 */
import { writeFileSync } from 'node:fs';
import { CAR_FEATURES, loadCars, modelYear } from './cars.js';
import { fitMpgModel } from './mpg-model.js';

export function writeReferenceCsv(path: string): void {
  const cars = loadCars();
  const train = cars.filter((c) => modelYear(c) <= 1974);
  const model = fitMpgModel(train);
  const header = [...CAR_FEATURES, 'prediction', 'Miles_per_Gallon'];
  const rows = train.map((c) =>
    [...CAR_FEATURES.map((f) => c[f] ?? ''), Math.round(model.predict(c) * 100) / 100, c.Miles_per_Gallon ?? ''].join(','),
  );
  writeFileSync(path, [header.join(','), ...rows].join('\n') + '\n');
}
