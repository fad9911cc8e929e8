/**
 * The Auto MPG data set (406 cars, model years 1970–1982) from the vega-datasets package: real data
 * in which fuel efficiency improves over the years, so a model fitted on early cars drifts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Car {
  Name: string;
  Miles_per_Gallon: number | null;
  Cylinders: number;
  Displacement: number;
  Horsepower: number | null;
  Weight_in_lbs: number;
  Acceleration: number;
  Year: string;
  Origin: 'USA' | 'Europe' | 'Japan';
}

export const CAR_FEATURES = ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Origin'] as const;

export function carsPath(): string {
  // The package's exports hide data/, so locate it from its entry point.
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  return join(dirname(entry), '..', 'data', 'cars.json');
}

export function loadCars(): Car[] {
  return JSON.parse(readFileSync(carsPath(), 'utf8')) as Car[];
}

export function modelYear(car: Car): number {
  return Number(car.Year.slice(0, 4));
}
