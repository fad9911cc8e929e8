import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore, checkpointFiles, isCheckpointFile } from '../../src/sources/checkpoint.js';
import { ManualClock } from '../../src/core/clock.js';
import { capturingLogger, useTempFile } from './tail-helpers.js';

const HOUR = 3_600_000;
const entry = (path: string, offset: number) => ({ path, dev: '2049', ino: '12345678901234567890', fingerprint: '3:abc', offset });

describe('CheckpointStore', () => {
  const setup = useTempFile('offsets.json');

  it('round-trips entries through an atomic write, leaving no temp file behind', async () => {
    const { dir, path } = setup();
    const clock = new ManualClock(1_700_000_000_000);
    const a = new CheckpointStore({ path, clock });
    await a.load();
    expect(a.entries()).toEqual([]);
    a.set(entry('/var/log/a.log', 42));
    a.set(entry('/var/log/b.log', 7));
    await a.save();
    expect(a.stats).toMatchObject({ writes: 1, errors: 0, writeFailures: 0, corrupt: 0, lastSuccessMs: 1_700_000_000_000 });
    expect(readdirSync(dir)).toEqual(['offsets.json']);
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect(onDisk.version).toBe(1);
    expect(onDisk.files[0]).toEqual({ ...entry('/var/log/a.log', 42), updatedAt: 1_700_000_000_000 });

    const b = new CheckpointStore({ path, clock });
    await b.load();
    expect(b.get('/var/log/b.log')?.offset).toBe(7);
    expect(b.get('/var/log/a.log')?.ino).toBe('12345678901234567890');
  });

  it.each([
    ['empty', ''],
    ['NUL-filled', '\0'.repeat(4096)],
    ['truncated JSON', '{"version":1,"files":[{"path":"/a"'],
    ['wrong version', '{"version":2,"files":[]}'],
    ['negative offset', '{"version":1,"files":[{"path":"/a","dev":"1","ino":"2","fingerprint":"0:","offset":-1,"updatedAt":0}]}'],
  ])('moves a %s checkpoint aside, counts and logs it, and starts empty', async (_name, content) => {
    const { dir, path } = setup();
    writeFileSync(path, content);
    const { logger, records } = capturingLogger();
    const store = new CheckpointStore({ path, logger, clock: new ManualClock(Date.UTC(2024, 0, 2, 3, 4, 5)) });
    await store.load();
    expect(store.entries()).toEqual([]);
    expect(store.stats.corrupt).toBe(1);
    expect(existsSync(path)).toBe(false);
    const aside = readdirSync(dir);
    expect(aside).toEqual(['offsets.json.corrupt-2024-01-02T03-04-05-000Z']);
    expect(readFileSync(join(dir, aside[0]), 'utf8')).toBe(content);
    const logged = records.find((r) => r.msg === 'checkpoint file is corrupt: moved aside, tailing starts from start_at');
    expect(logged).toMatchObject({ level: 50, path, moved_to: join(dir, aside[0]) });
    // The next save writes a fresh, valid file.
    store.set(entry('/x.log', 1));
    await store.save();
    expect(JSON.parse(readFileSync(path, 'utf8')).files).toHaveLength(1);
  });

  it('expires entries not refreshed for the TTL, counting from load time for loaded ones', async () => {
    const { path } = setup();
    const clock = new ManualClock(0);
    const first = new CheckpointStore({ path, clock, ttlMs: 24 * HOUR });
    await first.load();
    first.set(entry('/old.log', 1));
    await first.save();

    // Down for three days: loaded entries are not dropped merely because the process was down.
    clock.set(72 * HOUR);
    const second = new CheckpointStore({ path, clock, ttlMs: 24 * HOUR });
    await second.load();
    second.set(entry('/live.log', 2));
    await second.save();
    expect(second.get('/old.log')).toBeDefined();

    clock.advance(23 * HOUR);
    second.set(entry('/live.log', 3));
    await second.save();
    expect(second.get('/old.log')).toBeDefined();

    clock.advance(2 * HOUR);
    await second.save();
    expect(second.get('/old.log')).toBeUndefined();
    expect(second.get('/live.log')?.offset).toBe(3);
    expect(JSON.parse(readFileSync(path, 'utf8')).files.map((f: { path: string }) => f.path)).toEqual(['/live.log']);
  });

  it('counts a failed write as an error and keeps offsets in memory, never throwing', async () => {
    const { dir, path } = setup();
    const { logger, records } = capturingLogger();
    const store = new CheckpointStore({ path, logger });
    await store.load();
    // A non-empty directory where the checkpoint should be: the rename fails even for root.
    mkdirSync(path);
    writeFileSync(join(path, 'occupied'), '');
    store.set(entry('/a.log', 5));
    await expect(store.save()).resolves.toBeUndefined();
    expect(store.stats).toMatchObject({ writes: 0, errors: 1, writeFailures: 1, corrupt: 0, lastSuccessMs: 0 });
    expect(store.get('/a.log')?.offset).toBe(5);
    expect(records.some((r) => r.msg === 'checkpoint write failed; offsets kept in memory')).toBe(true);
    expect(readdirSync(dir)).toEqual(['offsets.json']); // the temp file was removed
  });

  it('serialises concurrent saves: the last state wins and every write lands', async () => {
    const { path } = setup();
    const store = new CheckpointStore({ path, clock: new ManualClock(1) });
    await store.load();
    const saves: Promise<unknown>[] = [];
    for (let i = 1; i <= 5; i++) {
      store.set(entry('/a.log', i));
      saves.push(store.save());
    }
    await Promise.all(saves);
    expect(store.stats.writes).toBe(5);
    expect(JSON.parse(readFileSync(path, 'utf8')).files[0].offset).toBe(5);
  });

  it('removes the temp files a kill -9 during a write left behind, and nothing else', async () => {
    const { dir, path } = setup();
    writeFileSync(join(dir, '.offsets.json.tmp-123-456'), '{"version":1,"fi');
    writeFileSync(join(dir, '.offsets.json.tmp-999-1'), '');
    writeFileSync(join(dir, 'other.log'), 'x\n');
    const store = new CheckpointStore({ path });
    await store.load();
    expect(store.stats.tempFilesRemoved).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['other.log']);
  });

  it('writes nothing while canWrite says the state is not the resumed one yet, and loads before any write', async () => {
    const { path } = setup();
    writeFileSync(path, JSON.stringify({ version: 1, files: [{ ...entry('/a.log', 9), updatedAt: 1 }] }));
    let ready = false;
    const store = new CheckpointStore({ path, clock: new ManualClock(2), stateProvider: () => ({ counters: {} }), canWrite: () => ready });
    // No load() first: a save must not replace the offsets on disk with none.
    await expect(store.save()).resolves.toBeUndefined();
    expect(store.stats.writes).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).files[0].offset).toBe(9);
    ready = true;
    await store.save();
    expect(store.stats.writes).toBe(1);
    expect(JSON.parse(readFileSync(path, 'utf8')).files[0].offset).toBe(9);
  });

  it('sets an invalid pipeline state aside: a copy kept, counted, the state dropped, the offsets kept', async () => {
    const { dir, path } = setup();
    writeFileSync(path, JSON.stringify({ version: 1, files: [{ ...entry('/a.log', 9), updatedAt: 1 }], state: { version: 1, counters: 'x' } }));
    const store = new CheckpointStore({ path, clock: new ManualClock(Date.UTC(2024, 0, 2)) });
    await store.load();
    expect(store.loadedState).toBeDefined();
    await store.setAside('counters: expected record');
    expect(store.loadedState).toBeUndefined();
    expect(store.stats.corrupt).toBe(1);
    expect(store.get('/a.log')?.offset).toBe(9);
    expect(readdirSync(dir).sort()).toEqual(['offsets.json', 'offsets.json.corrupt-2024-01-02T00-00-00-000Z']);
  });

  // The snapshotter's capture arena reuses a capture's memory at the next capture, so a state must be
  // on disk before the next one is taken. The outside case: saves asked for at once (the shutdown's
  // save while the timer's is writing, a slow disk), with a provider that takes several turns.
  it('runs saves asked for at once one after another: each state is taken only once the previous one is on disk', async () => {
    const { path } = setup();
    let taken = 0;
    const onDiskWhenTaken: unknown[] = [];
    const store = new CheckpointStore({
      path,
      clock: new ManualClock(1_700_000_000_000),
      stateProvider: async () => {
        const k = ++taken;
        onDiskWhenTaken.push(existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { state?: unknown }).state : undefined);
        await new Promise((r) => setImmediate(r));
        return { k };
      },
    });
    await store.load();
    const written = await Promise.all([store.save(), store.save(), store.save()]);
    expect(written).toEqual([{ k: 1 }, { k: 2 }, { k: 3 }]);
    expect(onDiskWhenTaken).toEqual([undefined, { k: 1 }, { k: 2 }]);
    expect((JSON.parse(readFileSync(path, 'utf8')) as { state: unknown }).state).toEqual({ k: 3 });
  });
});

describe('checkpointFiles', () => {
  it('names the checkpoint, its temp files, journals and moved-aside copies in its directory, and nothing else', () => {
    const ours = checkpointFiles('/var/lib/mw/../mw/offsets.json');
    for (const name of ['offsets.json', '.offsets.json.tmp-1-2', '.offsets.json.journal-abc-1-2', 'offsets.json.corrupt-2026']) {
      expect(ours('/var/lib/mw', name)).toBe(true);
      expect(isCheckpointFile('/var/lib/mw/offsets.json', `/var/lib/mw/./${name}`)).toBe(true);
    }
    expect(ours('/var/log', 'offsets.json')).toBe(false); // the same name beside the logs is a log
    expect(ours('/var/lib/mw', 'offsets.json.1')).toBe(false);
    expect(ours('/var/lib/mw', 'model.log')).toBe(false);
    expect(isCheckpointFile('/var/lib/mw/offsets.json', '/var/log/offsets.json')).toBe(false);
  });
});
