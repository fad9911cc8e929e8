/**
 * A time window's closed sub-buckets journaled by the checkpoint (src/windows/closed-sub-buckets.ts):
 * written whole now and then, named without a byte while none changed, else only the new or changed
 * ones. Checked through a real checkpoint store: after every write, and after a crash at each step of
 * a write (a new window and store load the directory, as a restarted process would), with late
 * records into closed sub-buckets, the ring wrapping, jumps past the whole window, restarts in the
 * middle and torn bytes after the journals' ends, the window restored from disk is exactly the one
 * the last durable checkpoint captured.
 */
import { appendFileSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DriftAnalyzer } from '../../src/analyzers/drift.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { CheckpointStore } from '../../src/sources/checkpoint.js';
import { journalPrefix } from '../../src/sources/checkpoint-journal.js';
import { mulberry32 } from '../../src/stats/random.js';
import { TimeWindow } from '../../src/windows/time-window.js';
import { decodeSlots, type SavedSlots } from '../../src/windows/ring-slots.js';
import { savedSubBuckets } from '../../src/windows/time-window-state.js';
import { MISSING_BIN } from '../../src/windows/window.js';
import { useTempFile } from '../sources/tail-helpers.js';

type Step = 'journal-written' | 'temp-written' | 'renamed';
const STEPS: Step[] = ['journal-written', 'temp-written', 'renamed'];
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
/** What a window holds, read through its own accessors (not its saved form, which a stale capture could share). */
const contents = (ws: TimeWindow[]) => ws.map((w) => ({ counts: [...w.counts()], missing: w.missing(), values: [...w.values()] }));
/** 60 s in 6 sub-buckets of 10 s, 3 bins, 8 values a sub-bucket: reservoirs fill and sample. */
const window = () => new TimeWindow(60, 3, 48, 6);
/** A saved count window of 50 slots as it reads back, whichever form it was saved in. */
const slotsOf = (saved: unknown) => {
  const { ring, bins, head, filled } = decodeSlots(saved as SavedSlots, 50, 255);
  return { ring: ring && [...ring], bins: [...bins], head, filled };
};

type Bucket = { epoch: number };

/** The drift analyzer the ec813f9 fixture was written with (test/fixtures/checkpoint-ec813f9). */
function fixtureDrift() {
  const config = configSchema.parse({ reference: { warmup_records: 100 }, drift: { windows: [{ count: 50 }, { duration: '10m' }], min_samples: 20, max_window_values: 300, multivariate: { enabled: false } } });
  return new DriftAnalyzer({ config, registry: new Registry(), clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true });
}

describe('checkpoint journal of a time window\'s closed sub-buckets', () => {
  const setup = useTempFile('state.json');
  const setupOld = useTempFile('checkpoint.json');

  /** A process: two windows and a checkpoint store on `path`, restored from what is there. */
  async function start(path: string, fault: { at?: Step | 'any' }) {
    const ws = [window(), window()];
    const store = new CheckpointStore({
      path,
      clock: new ManualClock(1_700_000_000_000),
      stateProvider: () => ({ windows: ws.map((w) => ({ w: w.snapshot() })) }),
      fault: (step) => {
        if (fault.at === step || fault.at === 'any') throw new Error(`crash at ${step}`);
      },
    });
    await store.load();
    const loaded = store.loadedState as { windows: { w: unknown }[] } | undefined;
    if (loaded) ws.forEach((w, i) => w.restore(loaded.windows[i].w));
    return { ws, store };
  }

  const journals = (dir: string, path: string) => readdirSync(dir).filter((n) => n.startsWith(journalPrefix(path)));

  for (const seed of [1, 2, 3]) {
    it(`restores exactly the last durable windows after every write and after crashes at every step (seed ${seed})`, async () => {
      const { dir, path } = setup();
      const rand = mulberry32(seed);
      const fault: { at?: Step | 'any' } = {};
      let p = await start(path, fault);
      const capture = () => json(p.ws.map((w) => ({ w: w.snapshot() })));
      let durable: unknown;
      let durableContents: unknown;
      let now = 1000;
      const seen = { late: 0, wraps: 0, crashes: 0, failures: 0, restarts: 0 };
      const writes = { whole: 0, delta: 0, unchanged: 0 };
      const count = () => {
        writes.whole += p.store.journals.wholeWrites;
        writes.delta += p.store.journals.deltaWrites;
        writes.unchanged += p.store.journals.unchangedWrites;
      };
      for (let round = 0; round < 150; round++) {
        // Time moves on by 0–6 s mostly (several writes a sub-bucket), now and then past the ring.
        const jump = rand();
        if (jump < 0.04) {
          now += 60 + rand() * 60;
          seen.wraps++;
        } else if (jump < 0.1) now += 25 + rand() * 20;
        else now += rand() * 6;
        for (const w of p.ws) {
          const n = Math.floor(rand() * 40);
          for (let k = 0; k < n; k++) {
            // One record in eight late: up to a whole window back (some already too old for it).
            const late = rand() < 0.125;
            if (late) seen.late++;
            const t = late ? now - rand() * 70 : now - rand() * 0.5;
            w.push(t, rand() * 100, rand() < 0.05 ? MISSING_BIN : Math.floor(rand() * 3));
          }
          if (rand() < 0.2) w.advance(now);
        }
        const r = rand();
        if (r < 0.12) {
          // A crash at a step of a write (kill -9): torn bytes may follow a journal's named end.
          fault.at = STEPS[Math.floor(rand() * STEPS.length)];
          const held = contents(p.ws);
          expect(await p.store.save()).toBeUndefined();
          if (fault.at === 'renamed') {
            durable = capture();
            durableContents = held;
          }
          fault.at = undefined;
          for (const name of journals(dir, path)) if (rand() < 0.5) appendFileSync(join(dir, name), '{"epochs":[1,2],"buck');
          count();
          seen.crashes++;
          p = await start(path, fault);
          if (durable !== undefined) {
            expect(contents(p.ws)).toEqual(durableContents);
            expect(json(p.ws.map((w) => ({ w: w.snapshot() })))).toEqual(durable);
          }
          continue;
        }
        if (r < 0.18) {
          // A failed write the process survives (disk full): its next write starts the journals whole.
          fault.at = 'any';
          expect(await p.store.save()).toBeUndefined();
          fault.at = undefined;
          seen.failures++;
        }
        durableContents = contents(p.ws);
        durable = json(((await p.store.save()) as { windows: unknown }).windows);
        expect(durable).toEqual(capture());
        const again = await start(path, fault);
        expect(contents(again.ws)).toEqual(durableContents);
        expect(json(again.ws.map((w) => ({ w: w.snapshot() })))).toEqual(durable);
        if (rand() < 0.05) {
          // A restart: the process goes on from what it restored.
          count();
          p = again;
          seen.restarts++;
        }
      }
      count();
      expect(seen.late).toBeGreaterThan(100);
      expect(seen.wraps).toBeGreaterThanOrEqual(2);
      expect(seen.crashes).toBeGreaterThanOrEqual(8);
      expect(seen.failures).toBeGreaterThanOrEqual(3);
      // Most writes wrote no closed sub-bucket or only the changed ones.
      expect(writes.unchanged).toBeGreaterThan(30);
      expect(writes.delta).toBeGreaterThan(writes.whole);
      // Every journal a checkpoint no longer names is gone once the next whole write is durable.
      const last = await start(path, fault);
      last.ws[0].push(now + 100, 1, 0);
      await last.store.save();
      // One a window with a closed sub-bucket (none closed: inline, no journal).
      expect(journals(dir, path)).toHaveLength(last.ws.filter((w) => w.snapshot().closed.buckets.length > 0).length);
    });
  }

  it('keeps late records pushed into the same closed sub-bucket on both sides of a checkpoint', async () => {
    const { path } = setup();
    const p = await start(path, {});
    const [w, other] = p.ws;
    // Sub-buckets of 10 s: epochs 100 and 101 filled, then the window moved on to 103.
    for (let i = 0; i < 200; i++) w.push(1000 + i / 10, i, i % 3);
    w.advance(1030);
    other.push(1031, 5, 0);
    // Late records into closed epoch 101, before and right after a write, then the same again
    // through the newest sub-bucket in between: each must reach the next checkpoint.
    w.push(1015, 1, 1);
    await p.store.save();
    w.push(1016, 2, 2);
    w.push(1017, 3, MISSING_BIN);
    let held = contents(p.ws);
    await p.store.save();
    expect(contents((await start(path, {})).ws)).toEqual(held);
    w.push(1032, 4, 0);
    w.push(1018, 5, 1);
    await p.store.save();
    w.push(1019, 6, 2);
    held = contents(p.ws);
    await p.store.save();
    const again = await start(path, {});
    expect(contents(again.ws)).toEqual(held);
    expect(again.ws[0].counts().reduce((a, b) => a + b, 0)).toBe(200 + 6 - 1);
  });

  it('writes nothing of the closed sub-buckets while they do not change, a late record\'s sub-bucket alone when one does', async () => {
    const { dir, path } = setup();
    const p = await start(path, {});
    const [w] = p.ws;
    for (let i = 0; i < 600; i++) w.push(1000 + i / 10, i, i % 3);
    await p.store.save();
    // The second window holds nothing: no journal of its own.
    expect(p.store.journals).toMatchObject({ wholeWrites: 1, deltaWrites: 0, unchangedWrites: 0 });
    expect(journals(dir, path)).toHaveLength(1);
    const closedBytes = () => journals(dir, path).map((n) => readFileSync(join(dir, n)).length);
    const before = closedBytes();
    // Records into the newest sub-bucket only: the journals are named as they stand.
    for (let i = 0; i < 50; i++) w.push(1059 + i / 100, i, 0);
    await p.store.save();
    expect(p.store.journals).toMatchObject({ wholeWrites: 1, deltaWrites: 0, unchangedWrites: 1 });
    expect(closedBytes()).toEqual(before);
    // The checkpoint holds the newest sub-bucket alone: 1 of the 6.
    const file = JSON.parse(readFileSync(path, 'utf8')) as { state: { windows: { w: { open: unknown[]; closed: unknown } }[] } };
    expect(file.state.windows[0].w.open).toHaveLength(1);
    expect(file.state.windows[0].w.closed).toMatchObject({ $journal: expect.any(String) as unknown });
    expect(file.state.windows[1].w.closed).toEqual({ buckets: [] });
    // A late record in a closed sub-bucket: that one is appended, and restores.
    w.push(1012, 7, 1);
    const durable = json(((await p.store.save()) as { windows: unknown }).windows);
    expect(p.store.journals).toMatchObject({ wholeWrites: 1, deltaWrites: 1, unchangedWrites: 1 });
    expect(closedBytes()[0]).toBeGreaterThan(before[0]);
    const delta = readFileSync(join(dir, journals(dir, path)[0]), 'utf8').split('\n')[1];
    expect((JSON.parse(delta) as { buckets: { epoch: number }[] }).buckets.map((b) => b.epoch)).toEqual([101]);
    expect(json((await start(path, {})).ws.map((x) => ({ w: x.snapshot() })))).toEqual(durable);
  });

  it('restores a checkpoint written by ec813f9 (every sub-bucket under `buckets`), and writes it anew in the journaled form', async () => {
    const { dir, path } = setupOld();
    cpSync(join(__dirname, '../fixtures/checkpoint-ec813f9'), dir, { recursive: true });
    type Saved = { window: { buckets: Bucket[] }; drift: { models: { features: Record<string, { windows: Record<string, Record<string, unknown>> }> }[] } };
    const old = (JSON.parse(readFileSync(path, 'utf8')) as { state: Saved }).state;
    expect(old.window.buckets.length).toBe(6);
    // Written with late records: the drift windows' sub-buckets were filled out of order.
    const oldDrift = old.drift.models[0].features;
    expect(Object.keys(oldDrift)).toEqual(['x', 'color', 'gap']);
    // The fixture's bare window: 10 values a sub-bucket.
    const w = new TimeWindow(60, 3, 60, 6);
    const drift = fixtureDrift();
    const store = new CheckpointStore({ path, clock: new ManualClock(1_700_000_000_000), stateProvider: () => ({ window: w.snapshot(), drift: drift.snapshot() }) });
    await store.load();
    const loaded = store.loadedState as Saved;
    w.restore(loaded.window);
    drift.restore(loaded.drift);
    const restored = json({ window: w.snapshot(), drift: drift.snapshot() }) as Saved;
    // The same sub-buckets, epoch for epoch, the same contents, in every window.
    const byEpoch = (state: unknown) => [...(savedSubBuckets(state) as Bucket[])].sort((a, b) => a.epoch - b.epoch);
    expect(byEpoch(restored.window)).toEqual(byEpoch(old.window));
    expect((restored.window as unknown as { open: unknown[] }).open).toHaveLength(1);
    for (const [name, f] of Object.entries(oldDrift)) {
      const now = restored.drift.models[0].features[name].windows;
      expect(byEpoch(now['10m'])).toHaveLength(30);
      expect(byEpoch(now['10m'])).toEqual(byEpoch(f.windows['10m']));
      // The count window's slots, as it saves them now (bins a byte a slot) and as the fixture did.
      expect(slotsOf(now.last_50)).toEqual(slotsOf(f.windows.last_50));
      expect(slotsOf(now.last_50).filled).toBe(50);
    }
    await store.save();
    const reread = new CheckpointStore({ path, clock: new ManualClock(0) });
    await reread.load();
    const again = new TimeWindow(60, 3, 60, 6);
    const driftAgain = fixtureDrift();
    again.restore((reread.loadedState as Saved).window);
    driftAgain.restore((reread.loadedState as Saved).drift);
    expect(json({ window: again.snapshot(), drift: driftAgain.snapshot() })).toEqual(restored);
  });

  it('an earlier version finds no `buckets` in the new form, and refuses the window rather than restore part of it', () => {
    const w = window();
    for (let i = 0; i < 600; i++) w.push(1000 + i / 10, i, i % 3);
    const saved = json(w.snapshot()) as Record<string, unknown>;
    // ec813f9's restore iterates `s.buckets`: absent, it throws (the window starts empty, logged).
    expect(saved.buckets).toBeUndefined();
    expect(() => {
      for (const b of saved.buckets as unknown[]) void b;
    }).toThrow(TypeError);
  });

  it('deletes the journal of a window no longer in the state once the checkpoint without it is durable', async () => {
    const { dir, path } = setup();
    const ws = [window(), window(), window()];
    for (const w of ws) for (let i = 0; i < 300; i++) w.push(1000 + i / 10, i, i % 3);
    let held = ws;
    const store = new CheckpointStore({ path, clock: new ManualClock(0), stateProvider: () => ({ windows: held.map((w) => ({ w: w.snapshot() })) }) });
    await store.save();
    expect(journals(dir, path)).toHaveLength(3);
    // The second window's series was evicted: its part is gone from the state, the others unchanged.
    held = [ws[0], ws[2]];
    await store.save();
    expect(store.journals).toMatchObject({ wholeWrites: 3, unchangedWrites: 2 });
    expect(journals(dir, path)).toHaveLength(2);
    const reread = new CheckpointStore({ path, clock: new ManualClock(0) });
    await reread.load();
    const restored = (reread.loadedState as { windows: { w: unknown }[] }).windows.map(({ w }) => {
      const r = window();
      r.restore(w);
      return r;
    });
    expect(contents(restored)).toEqual(contents(held));
  });

  it('refuses journal segments it did not write', async () => {
    const { closedSubBuckets } = await import('../../src/windows/closed-sub-buckets.js');
    const b = (epoch: number) => ({ epoch, counts: '', missing: 0, seen: 0, values: '' });
    expect(closedSubBuckets({ $journal: [{ buckets: [b(1), b(2)] }, { epochs: [2, 3], buckets: [b(3)] }] }).map((x) => x.epoch)).toEqual([3, 2]);
    expect(() => closedSubBuckets({ $journal: [{ epochs: [1], buckets: [] }] })).toThrow(/a delta, not the whole/);
    expect(() => closedSubBuckets({ $journal: [{ buckets: [b(1)] }, { epochs: [1, 4], buckets: [] }] })).toThrow(/keeps sub-bucket 4/);
    expect(() => closedSubBuckets({ $journal: [{ buckets: [b(1)] }, { epochs: [], buckets: [b(5)] }] })).toThrow(/does not list/);
    expect(() => closedSubBuckets({ $journal: [{ buckets: [b(1), b(1)] }] })).toThrow(/twice/);
  });
});
