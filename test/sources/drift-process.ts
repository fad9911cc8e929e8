/**
 * A process of the checkpoint tests that use a real drift analyzer (its windows are typed arrays,
 * its warm-up profile a journaled part): the analyzer and a checkpoint store on a path, restored from
 * what is there, and records to feed it.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DriftAnalyzer } from '../../src/analyzers/drift.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { CheckpointStore, type CheckpointWriteStep } from '../../src/sources/checkpoint.js';
import { mulberry32 } from '../../src/stats/random.js';

/** Every step of a write, in order: a fault thrown there stands for a kill -9 there. */
export const STEPS: CheckpointWriteStep[] = ['journal-written', 'binary-written', 'temp-written', 'renamed'];

/** A value as a plain JSON.stringify writes it (typed arrays as base64), parsed. */
export const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

export function analyzer() {
  const config = configSchema.parse({
    reference: { warmup_records: 300 },
    // Count windows alone: time windows journal their closed sub-buckets too (test/windows/time-window-journal.test.ts).
    drift: { windows: [{ count: 400 }, { count: 100 }], min_samples: 20 },
  });
  return new DriftAnalyzer({ config, registry: new Registry(), clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true });
}

/** Two model versions, a numeric, a categorical and a sometimes-missing feature. */
export function records(n: number, seed: number, from: number): ModelRecord[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    timestamp: 1_700_000_000 + from + i,
    model: i % 3 === 0 ? 'fraud' : 'churn',
    version: 'v1',
    features: { x: rand() * 10, color: ['a', 'b', 'c'][Math.floor(rand() * 3)], gap: rand() < 0.1 ? null : rand() },
    prediction: rand(),
  }));
}

/** A process: a drift analyzer and a checkpoint store on `path`, restored from what is there; `fault.at` crashes its writes there. */
export async function start(path: string) {
  const a = analyzer();
  const fault: { at?: CheckpointWriteStep | 'any' } = {};
  const store = new CheckpointStore({
    path,
    clock: new ManualClock(1_700_000_000_000),
    stateProvider: () => ({ drift: a.snapshot() }),
    fault: (step) => {
      if (fault.at === step || fault.at === 'any') throw new Error(`crash at ${step}`);
    },
  });
  await store.load();
  const loaded = store.loadedState as { drift: unknown } | undefined;
  if (loaded) a.restore(loaded.drift);
  return { a, store, fault };
}
