/** Shared set-up for the records tests: a mapper from a format snippet, fixtures as parsed lines. */
import { readFileSync } from 'node:fs';
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
