/** Shared set-up for the records tests: a mapper from a format snippet, fixtures as parsed lines. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { formatSchema } from '../../src/config/schema.js';
import { createRecordMapper, type RecordMapper } from '../../src/records/mapper.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { ManualClock } from '../../src/core/clock.js';

export const DEFAULTS = { model: 'default-model', version: 'default-version' };
/** 2024-05-14T12:00:00Z: after every fixture's event time. */
export const NOW_MS = 1_715_688_000_000;

export function harness(format: Record<string, unknown>, pairing = { ttl: 60, max_pending: 1000 }, classes?: string[]) {
  const clock = new ManualClock(NOW_MS);
  const mapper: RecordMapper = createRecordMapper(formatSchema.parse(format), { defaults: DEFAULTS, pairing, clock, classes });
  const map = (value: unknown) => {
    const out: ModelRecord[] = [];
    const outcome = mapper.map(value, out);
    return { outcome, records: out };
  };
  return { clock, mapper, map };
}

export function fixtureLines(name: string): unknown[] {
  const path = fileURLToPath(new URL(`../fixtures/records/${name}`, import.meta.url));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/**
 * mapBytes of bytes[start, end) (a line where it lies in a read buffer) against JSON.parse + map of
 * the decoded line: the same outcome and records, features key by key with Object.is (−0 and NaN
 * apart), or a line JSON.parse rejects declined. True when the scanner took the line.
 */
export function expectBytesAsParsed(mapper: RecordMapper, bytes: Buffer, start: number, end: number): boolean {
  // What the string path gets for these bytes (a lone surrogate has no UTF-8: it is U+FFFD in the bytes).
  const line = bytes.toString('utf8', start, end);
  const scanned: ModelRecord[] = [];
  const outcome = mapper.mapBytes!(bytes, start, end, scanned);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    expect(outcome, `scanner accepted invalid JSON: ${line}`).toBeUndefined();
    return false;
  }
  if (outcome === undefined) return false;
  const parsed: ModelRecord[] = [];
  expect(outcome).toEqual(mapper.map(value, parsed));
  expect(scanned.length).toBe(parsed.length);
  for (let i = 0; i < parsed.length; i++) {
    const [a, b] = [scanned[i], parsed[i]];
    expect({ ...a, features: undefined }, line).toStrictEqual({ ...b, features: undefined });
    expect(Object.keys(a.features), line).toEqual(Object.keys(b.features));
    for (const k of Object.keys(b.features)) expect(Object.is(a.features[k], b.features[k]), `${k} in ${line}`).toBe(true);
    expect(Object.is(a.timestamp, b.timestamp), line).toBe(true);
    expect(Object.is(a.latencySeconds, b.latencySeconds), line).toBe(true);
    expect(a.extra).toEqual(b.extra);
  }
  return true;
}
