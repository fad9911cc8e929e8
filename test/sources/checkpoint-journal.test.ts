/**
 * The label join store journaled by the checkpoint (src/sources/checkpoint-journal.ts): whole now and
 * then, else what changed since the last durable write. Checked by restoring from disk after every
 * write and after crashes at each step of a write (a fault thrown there, then a new store loads the
 * directory, as a restarted process would), with torn bytes appended to the journals: the restored
 * store is exactly the one of the last durable checkpoint (no prediction lost, doubled or reordered).
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { mulberry32 } from '../../src/stats/random.js';
import { CheckpointStore, isCheckpointFile } from '../../src/sources/checkpoint.js';
import { journalPrefix } from '../../src/sources/checkpoint-journal.js';
import { LabelJoiner } from '../../src/windows/label-join.js';
import type { PredictionInput } from '../../src/windows/join-types.js';
import { useTempFile } from './tail-helpers.js';

type Step = 'journal-written' | 'temp-written' | 'renamed';
const STEPS: Step[] = ['journal-written', 'temp-written', 'renamed'];

function input(requestId: string, i: number): PredictionInput {
  const prediction = [1.5, 'yes', null, undefined, 0.5, 7][i % 6];
  return {
    requestId,
    model: i % 3 === 0 ? 'fraud' : 'churn',
    version: i % 11 === 0 ? 'v2' : 'v1',
    prediction,
    scores: i % 4 === 0 ? [0.25, i / 1000] : undefined,
    segments: i % 5 === 0 ? ['eu', `s${i % 3}`] : undefined,
    timestamp: 1000 + i / 8,
  };
}

/** Ids of every packing kind (UUIDs, short, escaped, long). */
function id(i: number): string {
  switch (i % 5) {
    case 0:
      return `${(0x10000000 + i).toString(16)}-d9cb-469f-a165-70867728950e`;
    case 1:
      return `req-${i}`;
    case 2:
      return `q"${i}\\`;
    case 3:
      return `a-request-id-longer-than-sixteen-characters-${i}`;
    default:
      return `caf\u00e9-${i}`;
  }
}

const json = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('checkpoint journal of the label join store', () => {
  const setup = useTempFile('state.json');

  /**
   * A process: a joiner and a checkpoint store on `path`, restored from what is there. `forJournal`:
   * the joiner captures for the journal, as the checkpoint's own capture does (only its delta when
   * the journal said it takes one).
   */
  async function start(path: string, clock: ManualClock, fault: { at?: Step }, forJournal = false) {
    const joiner = new LabelJoiner({ clock, maxEntries: 5_000 });
    const store = new CheckpointStore({
      path,
      clock,
      stateProvider: () => ({ joiner: joiner.snapshot(forJournal) }),
      fault: (step) => {
        if (fault.at === step) throw new Error(`crash at ${step}`);
      },
    });
    await store.load();
    const loaded = store.loadedState as { joiner: unknown } | undefined;
    if (loaded) joiner.restore(loaded.joiner);
    return { joiner, store };
  }

  const journals = (dir: string, path: string) => readdirSync(dir).filter((n) => n.startsWith(journalPrefix(path)));

  for (const forJournal of [false, true]) {
  it(`restores exactly the last durable store after every write and after crashes at every step, torn journal bytes included (${forJournal ? 'captures for the journal: deltas only where it takes one' : 'whole captures'})`, async () => {
    const { dir, path } = setup();
    const clock = new ManualClock(1_700_000_000_000);
    const rand = mulberry32(16);
    const fault: { at?: Step } = {};
    let p = await start(path, clock, fault, forJournal);
    let deltaOnly = 0;
    let durable: unknown = { models: [], predictions: undefined };
    let next = 0;
    const waiting: string[] = [];
    let crashes = 0;
    let failures = 0;
    let deltas = 0;
    let wholes = 0;
    for (let round = 0; round < 120; round++) {
      // Predictions arrive, labels join some of the waiting ones (any position), a few duplicates.
      const adds = Math.floor(rand() * 300);
      for (let k = 0; k < adds; k++) {
        clock.advance(1);
        const requestId = id(next);
        p.joiner.addPrediction(input(requestId, next++));
        waiting.push(requestId);
      }
      const labels = Math.floor(rand() * 250);
      for (let k = 0; k < labels && waiting.length > 0; k++) {
        const at = Math.floor(rand() ** 2 * waiting.length);
        p.joiner.addLabel({ requestId: waiting[at], label: 1, timestamp: 2000 });
        waiting.splice(at, 1);
      }
      if (rand() < 0.1) p.joiner.addLabel({ requestId: `early-${round}`, label: 0, timestamp: 2000 });
      if (rand() < 0.15) {
        fault.at = STEPS[Math.floor(rand() * STEPS.length)];
        const written = (await p.store.save()) as { joiner: unknown } | undefined;
        expect(written).toBeUndefined();
        const attempted = json(p.joiner.snapshot());
        if (fault.at === 'renamed') durable = attempted;
        // A crash inside the next append or a whole write: bytes past what any checkpoint names.
        for (const name of journals(dir, path)) if (rand() < 0.5) appendFileSync(join(dir, name), '{"removed":"AAAA","mod');
        fault.at = undefined;
        if (rand() < 0.4) {
          // A failed write the process survives (disk full): it goes on, and its next write must not
          // append to a journal the durable checkpoint does not end with.
          failures++;
          continue;
        }
        deltas += p.store.journals.deltaWrites;
        wholes += p.store.journals.wholeWrites;
        crashes++;
        p = await start(path, clock, fault, forJournal);
        expect(json(p.joiner.snapshot())).toEqual(durable);
        // The process that crashed is gone: what its store had not written is lost with it.
        waiting.length = 0;
        waiting.push(...(durable as { predictions: { ids: string[] } }).predictions.ids);
        continue;
      }
      const written = (await p.store.save()) as { joiner: { predictions: { deltaOnly?: boolean } } };
      if (written.joiner.predictions.deltaOnly === true) {
        // Held only the delta: what is durable is the whole store, as the joiner holds it.
        deltaOnly++;
        durable = json(p.joiner.snapshot());
      } else {
        durable = json(written.joiner);
        expect(json(p.joiner.snapshot())).toEqual(durable);
      }
      // A restart now restores exactly what was written.
      const again = await start(path, clock, {}, forJournal);
      expect(json(again.joiner.snapshot())).toEqual(durable);
    }
    deltas += p.store.journals.deltaWrites;
    wholes += p.store.journals.wholeWrites;
    expect(crashes).toBeGreaterThanOrEqual(6);
    expect(failures).toBeGreaterThanOrEqual(4);
    // Mostly deltas; a whole write when the appended bytes reach the whole's size, and after each crash.
    expect(deltas).toBeGreaterThan(2 * wholes);
    expect(wholes).toBeGreaterThan(crashes);
    // Captured for the journal, most deltas were all the capture took.
    if (forJournal) expect(deltaOnly).toBeGreaterThan(deltas / 2);
    else expect(deltaOnly).toBe(0);
    // The first write of a process is whole and removes every journal no checkpoint names.
    const last = await start(path, clock, {}, forJournal);
    await last.store.save();
    expect(journals(dir, path)).toHaveLength(1);
    // Never tailed as a log by a glob over the checkpoint's directory.
    expect(isCheckpointFile(path, join(dir, journals(dir, path)[0]))).toBe(true);
    expect(json((await start(path, clock, {})).joiner.snapshot())).toEqual(json(last.joiner.snapshot()));
  });
  }

  it('writes a delta far smaller than the store when few predictions changed', async () => {
    const { path } = setup();
    const clock = new ManualClock(1_700_000_000_000);
    const p = await start(path, clock, {});
    for (let i = 0; i < 4000; i++) p.joiner.addPrediction(input(id(i), i));
    await p.store.save();
    const whole = p.store.stats.bytesWritten;
    for (let i = 4000; i < 4100; i++) p.joiner.addPrediction(input(id(i), i));
    for (let i = 0; i < 100; i++) p.joiner.addLabel({ requestId: id(i * 7), label: 1, timestamp: 2000 });
    await p.store.save();
    const second = p.store.stats.bytesWritten - whole;
    expect(p.store.journals).toMatchObject({ wholeWrites: 1, deltaWrites: 1 });
    // The checkpoint itself (offsets, early labels, joined ids) plus 100 added predictions and 100 positions.
    expect(second).toBeLessThan(whole / 4);
    const again = await start(path, clock, {});
    expect(json(again.joiner.snapshot())).toEqual(json(p.joiner.snapshot()));
  });

  it('restores a checkpoint written before the journal (the store inline)', async () => {
    const { path } = setup();
    const clock = new ManualClock(1_700_000_000_000);
    const before = new LabelJoiner({ clock, maxEntries: 5_000 });
    for (let i = 0; i < 500; i++) before.addPrediction(input(id(i), i));
    for (let i = 0; i < 500; i += 3) before.addLabel({ requestId: id(i), label: 1, timestamp: 2000 });
    writeFileSync(path, JSON.stringify({ version: 1, files: [], watched: [], state: { joiner: before.snapshot() } }));
    const p = await start(path, clock, {});
    expect(json(p.joiner.snapshot())).toEqual(json(before.snapshot()));
  });

  it('a journal shorter than the checkpoint names: the state is set aside, the offsets kept', async () => {
    const { dir, path } = setup();
    const clock = new ManualClock(1_700_000_000_000);
    const p = await start(path, clock, {});
    for (let i = 0; i < 500; i++) p.joiner.addPrediction(input(id(i), i));
    p.store.set({ path: '/var/log/a.log', dev: '1', ino: '2', fingerprint: 'f', offset: 42 });
    await p.store.save();
    const [name] = journals(dir, path);
    writeFileSync(join(dir, name), readFileSync(join(dir, name)).subarray(0, 100));
    const store = new CheckpointStore({ path, clock });
    await store.load();
    expect(store.loadedState).toBeUndefined();
    expect(store.stats.corrupt).toBe(1);
    expect(store.get('/var/log/a.log')?.offset).toBe(42);
  });
});
