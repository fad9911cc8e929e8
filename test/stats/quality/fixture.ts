/** Loads a committed fixture from test/fixtures/quality and compares numbers the way every quality test does. */
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';

const FIXTURES = new URL('../../fixtures/quality/', import.meta.url);

export function loadFixture<T>(name: string): T {
  const url = new URL(name, FIXTURES);
  if (!existsSync(url)) {
    throw new Error(`missing fixture ${url.pathname}: run /usr/bin/python3 scripts/gen_quality_fixtures.py`);
  }
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** Within 1e-9 relative or 1e-12 absolute of sklearn's value. */
export function expectClose(actual: number | undefined, expected: number, what = ''): void {
  expect(actual, what).toBeTypeOf('number');
  const tolerance = 1e-12 + 1e-9 * Math.abs(expected);
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs sklearn ${expected}`).toBeLessThanOrEqual(tolerance);
}

export function expectAllClose(actual: ArrayLike<number>, expected: number[], what = ''): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], `${what}[${i}]`);
}
