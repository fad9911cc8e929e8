/**
 * Property-based crash test: random schedules of write / rotate / scrape / kill -9 / SIGTERM /
 * restart against a real sidecar (test/helpers/crash-schedule.ts). A short run here; `npm run soak`
 * with SOAK_MODE=crash runs many. MW_CRASH_SEED (with MW_CRASH_PATH from a failure) replays a schedule; MW_CRASH_RUNS sets how many.
 */
import { describe, expect, it } from 'vitest';
import { runRandomSchedules } from '../helpers/crash-schedule.js';

const seed = Number(process.env.MW_CRASH_SEED ?? Date.now() % 2 ** 31);
const runs = Number(process.env.MW_CRASH_RUNS ?? 2);

describe(`random crash schedules (seed ${seed})`, () => {
  it('no counter ever decreases and every line is counted exactly once', async () => {
    const results = await runRandomSchedules({ runs, seed, path: process.env.MW_CRASH_PATH, maxActions: 10, log: (l) => process.stdout.write(`${l}\n`) });
    expect(results.length).toBe(runs);
    expect(results.reduce((n, r) => n + r.starts, 0)).toBeGreaterThanOrEqual(runs);
  }, 240_000);
});
