/**
 * The drift warm-up reference profile journaled by the checkpoint as a part that never changes
 * (core/cached-json.ts, src/sources/checkpoint-journal.ts): written to a journal file at a process's
 * first write, named without a byte written by every later checkpoint. Checked through a real drift
 * analyzer and checkpoint store: restored from disk after every write and after a crash at each step
 * of a write (a new analyzer and store load the directory, as a restarted process would), the
 * analyzer's state is exactly the last durable one; checkpoints with the profile inline still restore.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DriftAnalyzer } from '../../src/analyzers/drift.js';
import { configSchema } from '../../src/config/schema.js';
import { CachedJson, cachedValue } from '../../src/core/cached-json.js';
import { ManualClock } from '../../src/core/clock.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { CheckpointStore } from '../../src/sources/checkpoint.js';
import { journalPrefix } from '../../src/sources/checkpoint-journal.js';
import { mulberry32 } from '../../src/stats/random.js';
import { useTempFile } from './tail-helpers.js';

type Step = 'journal-written' | 'temp-written' | 'renamed';
const STEPS: Step[] = ['journal-written', 'temp-written', 'renamed'];

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

function analyzer() {
  const config = configSchema.parse({
    reference: { warmup_records: 300 },
    // Count windows alone: time windows journal their closed sub-buckets too (test/windows/time-window-journal.test.ts).
    drift: { windows: [{ count: 400 }, { count: 100 }], min_samples: 20 },
  });
  return new DriftAnalyzer({ config, registry: new Registry(), clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true });
}

/** Two model versions, a numeric, a categorical and a sometimes-missing feature. */
function records(n: number, seed: number, from: number): ModelRecord[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    timestamp: 1_700_000_000 + from + i,
    model: i % 3 === 0 ? 'fraud' : 'churn',
    version: 'v1',
    features: { x: rand() * 10, color: ['a', 'b', 'c'][Math.floor(rand() * 3)], gap: rand() < 0.1 ? null : rand() },
    prediction: rand(),
  }));
}

describe('checkpoint journal of the drift warm-up profile', () => {
  const setup = useTempFile('state.json');

  /** A process: a drift analyzer and a checkpoint store on `path`, restored from what is there; `fault.at` crashes its writes there. */
  async function start(path: string) {
    const a = analyzer();
    const fault: { at?: Step | 'any' } = {};
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

  const journals = (dir: string, path: string) => readdirSync(dir).filter((n) => n.startsWith(journalPrefix(path)));

  it('writes each profile once, names it in every later checkpoint, and restores the analyzer exactly', async () => {
    const { dir, path } = setup();
    const p = await start(path);
    for (const r of records(1200, 1, 0)) p.a.onRecord(r);
    const first = json(((await p.store.save()) as { drift: unknown }).drift);
    // Both model versions have their profile, each in a journal file of its own.
    expect(JSON.stringify(first)).toContain('"source":"warmup"');
    expect(p.store.journals).toMatchObject({ wholeWrites: 2, deltaWrites: 0, unchangedWrites: 0 });
    expect(journals(dir, path)).toHaveLength(2);
    const journalBytes = journals(dir, path).map((n) => readFileSync(join(dir, n)).length);
    for (let round = 0; round < 3; round++) {
      for (const r of records(200, 2 + round, 1200 + 200 * round)) p.a.onRecord(r);
      const bytesBefore = p.store.stats.bytesWritten;
      const durable = json(((await p.store.save()) as { drift: unknown }).drift);
      // Named, not written: the checkpoint holds no profile, and nothing was added to the journals.
      const text = readFileSync(path, 'utf8');
      expect(text).not.toContain('"source":"warmup"');
      expect(text.match(/"\$journal"/g)).toHaveLength(2);
      expect(p.store.stats.bytesWritten - bytesBefore).toBe(text.length);
      expect(journals(dir, path).map((n) => readFileSync(join(dir, n)).length)).toEqual(journalBytes);
      const again = await start(path);
      expect(json(again.a.snapshot())).toEqual(durable);
    }
    expect(p.store.journals).toMatchObject({ wholeWrites: 2, unchangedWrites: 6 });
    // Restored, the analyzer goes on as the one that never stopped.
    const again = await start(path);
    const more = records(300, 9, 2000);
    for (const r of more) {
      again.a.onRecord(r);
      p.a.onRecord(r);
    }
    await again.a.tick(0);
    await p.a.tick(0);
    expect(json(again.a.snapshot())).toEqual(json(p.a.snapshot()));
  });

  it('restores the last durable state after a crash at every step of a write, at a first write and at later ones', async () => {
    const { dir, path } = setup();
    const rand = mulberry32(7);
    let p = await start(path);
    let durable: unknown;
    let next = 0;
    let crashes = 0;
    for (let round = 0; round < 40; round++) {
      for (const r of records(40 + Math.floor(rand() * 120), 100 + round, next)) p.a.onRecord(r);
      next += 200;
      if (rand() < 0.4) {
        // A crash in this process (its profiles named, unchanged) or in a new one (its first write,
        // the profiles written whole to new files), at each step in turn.
        const at = STEPS[crashes % STEPS.length];
        const crashing = crashes % 2 === 0 ? p : await start(path);
        if (crashing !== p) crashing.a.restore(json(p.a.snapshot()));
        crashing.fault.at = at;
        const attempted = json(crashing.a.snapshot());
        expect(await crashing.store.save()).toBeUndefined();
        if (at === 'renamed') durable = attempted;
        crashes++;
        p = await start(path);
        if (durable !== undefined) expect(json(p.a.snapshot())).toEqual(durable);
        continue;
      }
      if (rand() < 0.15) {
        // A failed write the process survives: its next write starts the profiles' journals whole.
        p.fault.at = 'any';
        expect(await p.store.save()).toBeUndefined();
        p.fault.at = undefined;
      }
      durable = json(((await p.store.save()) as { drift: unknown }).drift);
      const again = await start(path);
      expect(json(again.a.snapshot())).toEqual(durable);
    }
    expect(crashes).toBeGreaterThanOrEqual(9);
    // The first write of a process names new files and removes every one no checkpoint names.
    const last = await start(path);
    await last.store.save();
    expect(journals(dir, path)).toHaveLength(2);
    expect(json((await start(path)).a.snapshot())).toEqual(json(last.a.snapshot()));
  });

  it('writes a part anew when another value took its key since its committed write', async () => {
    const { path } = setup();
    const a = new CachedJson({ name: 'a', sample: [1, 2, 3] }, 'k');
    const b = new CachedJson({ name: 'b', sample: [4, 5] }, 'k');
    let current = a;
    const store = new CheckpointStore({ path, clock: new ManualClock(0), stateProvider: () => ({ models: [{ profile: current }] }) });
    const restored = async () => {
      const s = new CheckpointStore({ path, clock: new ManualClock(0) });
      await s.load();
      return cachedValue((s.loadedState as { models: { profile: unknown }[] }).models[0].profile);
    };
    for (const [value, wholeWrites, unchangedWrites] of [
      [a, 1, 0],
      [a, 1, 1],
      [b, 2, 1],
      [b, 2, 2],
      // `a` was committed before `b`: its epoch is not the one its key's journal ends with.
      [a, 3, 2],
    ] as const) {
      current = value;
      await store.save();
      expect(store.journals).toMatchObject({ wholeWrites, unchangedWrites });
      expect(await restored()).toEqual(value.value);
    }
  });

  it('restores a checkpoint written before the journal (the profile inline, under `profile`)', async () => {
    const { path } = setup();
    const before = analyzer();
    for (const r of records(1000, 3, 0)) before.onRecord(r);
    const saved = json(before.snapshot()) as { models: Record<string, unknown>[] };
    // The earlier form: each model's profile inline under `profile`.
    const earlier = {
      ...saved,
      models: saved.models.map(({ warmupReference, ...m }) => ({ ...m, profile: warmupReference })),
    };
    expect(JSON.stringify(earlier)).toContain('"profile":{"schema_version"');
    writeFileSync(path, JSON.stringify({ version: 1, files: [], watched: [], state: { drift: earlier } }));
    const p = await start(path);
    expect(json(p.a.snapshot())).toEqual(saved);
    await p.store.save();
    expect(json((await start(path)).a.snapshot())).toEqual(saved);
  });

  it('an earlier version, which cannot read the journal, finds no profile where it looked for one', async () => {
    const { path } = setup();
    const p = await start(path);
    for (const r of records(1000, 3, 0)) p.a.onRecord(r);
    await p.store.save();
    const file = JSON.parse(readFileSync(path, 'utf8')) as { state: { drift: { models: Record<string, unknown>[] } } };
    for (const m of file.state.drift.models) {
      expect(m.profile).toBeUndefined();
      expect(m.warmupReference).toMatchObject({ $journal: expect.any(String) as unknown, bytes: expect.any(Number) as unknown });
    }
  });
});
