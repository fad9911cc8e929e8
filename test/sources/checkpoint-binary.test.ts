/**
 * The checkpoint's typed arrays written raw to its binary file (src/sources/checkpoint-binary.ts)
 * and referenced from the JSON, checked through a real drift analyzer and checkpoint store: the file
 * holds no base64, the binary file is named with its length and CRC-32 and is the only one left
 * after a write, crashes at every step restore the last durable state, a missing, short or corrupt
 * binary file sets the state aside with the offsets kept, and a checkpoint of ec813f9 (base64) restores.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../src/analyzers/quality/recent-ids.js';
import { ManualClock } from '../../src/core/clock.js';
import { decodeFloat64, decodeInt32, encodeOwned, encodeTyped } from '../../src/core/typed-codec.js';
import { CheckpointStore } from '../../src/sources/checkpoint.js';
import { binaryPrefix } from '../../src/sources/checkpoint-binary.js';
import { mulberry32 } from '../../src/stats/random.js';
import { json, records, start, STEPS } from './drift-process.js';
import { useTempFile } from './tail-helpers.js';

interface OnDisk {
  binary?: { file: string; bytes: number; crc32: number };
  state: { drift: unknown };
}

/** A base64 string of a typed array (the shortest window saved is 400 float64 values). */
const BASE64 = /"[A-Za-z0-9+/]{200,}={0,2}"/;
const ENTRY = { path: '/var/log/model.log', dev: '1', ino: '2', fingerprint: 'f', offset: 4242 };

describe('checkpoint binary file of the typed arrays', () => {
  const setup = useTempFile('state.json');
  const binaries = (dir: string, path: string) => readdirSync(dir).filter((n) => n.startsWith(binaryPrefix(path)));
  const onDisk = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as OnDisk;

  it('writes the typed arrays raw, named with length and CRC-32, one binary file left, restored exactly', async () => {
    const { dir, path } = setup();
    const p = await start(path);
    for (let round = 0; round < 3; round++) {
      for (const r of records(500, 1 + round, 500 * round)) p.a.onRecord(r);
      const durable = json(((await p.store.save()) as { drift: unknown }).drift);
      const text = readFileSync(path, 'utf8');
      expect(text).not.toMatch(BASE64);
      // Two models × (count window, time window, profile-derived slots…): dozens of references.
      expect(text.match(/\{"\$bin":\[\d+,\d+\]\}/g)!.length).toBeGreaterThan(10);
      const { binary } = onDisk(path);
      expect(binaries(dir, path)).toEqual([binary!.file]);
      const bytes = readFileSync(join(dir, binary!.file));
      expect(bytes.length).toBe(binary!.bytes);
      expect(crc32(bytes)).toBe(binary!.crc32);
      const again = await start(path);
      expect(json(again.a.snapshot())).toEqual(durable);
    }
  });

  it('restores the last durable state after a crash at every step of a write; the next write removes what the crash left', async () => {
    const { dir, path } = setup();
    const rand = mulberry32(3);
    let p = await start(path);
    let durable: unknown;
    // Past the warm-up (300 records): the windows hold values from the first round on.
    for (const r of records(400, 2, 0)) p.a.onRecord(r);
    let next = 400;
    for (let round = 0; round < 3 * STEPS.length; round++) {
      for (const r of records(50 + Math.floor(rand() * 150), 10 + round, next)) p.a.onRecord(r);
      next += 200;
      durable = json(((await p.store.save()) as { drift: unknown }).drift);
      const named = onDisk(path).binary!.file;
      for (const r of records(100, 50 + round, next)) p.a.onRecord(r);
      next += 100;
      p.fault.at = STEPS[round % STEPS.length];
      const attempted = json(p.a.snapshot());
      expect(await p.store.save()).toBeUndefined();
      // Renamed into place, the write is durable though it failed after; before, the old one stands with its binary file.
      if (p.fault.at === 'renamed') durable = attempted;
      else expect(onDisk(path).binary!.file).toBe(named);
      // A kill -9 leaves a binary file no checkpoint names (deleted here: the fault's cleanup is not a crash's).
      copyFileSync(join(dir, onDisk(path).binary!.file), join(dir, `${binaryPrefix(path)}left-by-a-crash`));
      p = await start(path);
      expect(json(p.a.snapshot())).toEqual(durable);
      await p.store.save();
      expect(binaries(dir, path)).toEqual([onDisk(path).binary!.file]);
    }
  });

  for (const [damage, harm] of [
    ['missing', (file: string) => unlinkSync(file)],
    ['shorter than named', (file: string) => writeFileSync(file, readFileSync(file).subarray(0, 1000))],
    ['one byte flipped (CRC-32)', (file: string) => writeFileSync(file, Buffer.from(readFileSync(file).map((b, i) => (i === 777 ? b ^ 0x10 : b))))],
  ] as const) {
    it(`a binary file ${damage}: the state is set aside, counted, the offsets kept`, async () => {
      const { dir, path } = setup();
      const p = await start(path);
      for (const r of records(800, 4, 0)) p.a.onRecord(r);
      p.store.set(ENTRY);
      await p.store.save();
      harm(join(dir, onDisk(path).binary!.file));
      const store = new CheckpointStore({ path, clock: new ManualClock(1_700_000_000_000) });
      await store.load();
      expect(store.loadedState).toBeUndefined();
      expect(store.stats.corrupt).toBe(1);
      expect(store.get(ENTRY.path)?.offset).toBe(4242);
      expect(readdirSync(dir).some((n) => n.startsWith('state.json.corrupt-'))).toBe(true);
    });
  }

  it('a reference without a binary file named, or outside it: the state is set aside, the offsets kept', async () => {
    const { path } = setup();
    const p = await start(path);
    for (const r of records(800, 5, 0)) p.a.onRecord(r);
    p.store.set(ENTRY);
    await p.store.save();
    const good = onDisk(path);
    for (const bad of [{ ...good, binary: undefined }, { ...good, binary: { ...good.binary!, bytes: 8 } }, { ...good, binary: { ...good.binary!, file: '../elsewhere' } }]) {
      // bytes: 8 with the CRC of the whole: the CRC fails first; the file from elsewhere is refused by name.
      writeFileSync(path, JSON.stringify(bad));
      const store = new CheckpointStore({ path, clock: new ManualClock(1_700_000_000_000) });
      await store.load();
      expect(store.loadedState).toBeUndefined();
      expect(store.stats.corrupt).toBe(1);
      expect(store.get(ENTRY.path)?.offset).toBe(4242);
    }
  });

  it('an empty typed array (no memory behind it) among others: the CRC-32 still covers the rest', async () => {
    const { path } = setup();
    const state = { empty: encodeOwned(new Float64Array(0)), values: encodeTyped(Float64Array.of(1.5, -0, NaN, 2 ** -1074)), counts: encodeTyped(Int32Array.of(7, -1)), last: encodeOwned(new Int32Array(0)) };
    await new CheckpointStore({ path, clock: new ManualClock(0), stateProvider: () => state }).save();
    const again = new CheckpointStore({ path, clock: new ManualClock(0) });
    await again.load();
    expect(again.stats.corrupt).toBe(0);
    const loaded = again.loadedState as Record<keyof typeof state, string>;
    expect(decodeFloat64(loaded.empty)).toEqual(new Float64Array(0));
    expect(decodeFloat64(loaded.values)).toEqual(Float64Array.of(1.5, -0, NaN, 2 ** -1074));
    expect(decodeInt32(loaded.counts)).toEqual(Int32Array.of(7, -1));
  });

  it('writes recent request ids still packed (UUIDs, short, escaped, long ones) and restores the same ids in the same order', async () => {
    const { path } = setup();
    const ids = Array.from({ length: 700 }, (_, i) =>
      [`${(0x10000000 + i).toString(16)}-d9cb-469f-a165-70867728950e`, `req-${i}`, `q"${i}\\`, `a-request-id-longer-than-sixteen-characters-${i}`, `caf\u00e9-${i}`][i % 5],
    );
    const recent = new RecentIds(500);
    for (const id of ids) recent.seen(id);
    const store = new CheckpointStore({ path, clock: new ManualClock(0), stateProvider: () => ({ ids: recent.snapshot() }) });
    await store.save();
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('"packedIds"');
    expect(text).not.toContain('d9cb-469f');
    const again = new CheckpointStore({ path, clock: new ManualClock(0) });
    await again.load();
    const restored = new RecentIds(500);
    restored.restore((again.loadedState as { ids: unknown }).ids);
    expect(json(restored.snapshot())).toEqual(ids.slice(200));
    expect(json(restored.snapshot())).toEqual(json(recent.snapshot()));
    // The oldest kept is still seen, the one before it was forgotten, as in the uninterrupted ring.
    expect([restored.seen(ids[200]), restored.seen(ids[199])]).toEqual([true, false]);
  });

  it('restores a checkpoint written by ec813f9 (typed arrays as base64 in the JSON), then writes the new form', async () => {
    const { dir, path } = setup();
    const before = (await start(join(dir, 'elsewhere.json'))).a;
    for (const r of records(900, 6, 0)) before.onRecord(r);
    // What ec813f9 wrote: JsonChunkWriter's bytes equal JSON.stringify's, typed arrays as base64.
    const saved = json(before.snapshot());
    writeFileSync(path, JSON.stringify({ version: 1, files: [{ ...ENTRY, updatedAt: 1 }], watched: [], state: { drift: saved } }));
    expect(readFileSync(path, 'utf8')).toMatch(BASE64);
    const p = await start(path);
    expect(json(p.a.snapshot())).toEqual(saved);
    expect(p.store.get(ENTRY.path)?.offset).toBe(4242);
    await p.store.save();
    expect(readFileSync(path, 'utf8')).not.toMatch(BASE64);
    expect(json((await start(path)).a.snapshot())).toEqual(saved);
    expect(existsSync(join(dir, onDisk(path).binary!.file))).toBe(true);
  });
});
