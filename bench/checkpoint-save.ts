/**
 * The CPU of one checkpoint store write (encode, write, fsync, rename) in one tree, on the state of a
 * real checkpoint: its base64 strings turned back into TypedCopy, as a capture holds them. For the
 * checkpoint's write path alone, apart from the live minute's noise (docs/performance.md, "The
 * checkpoint's typed arrays written raw").
 *
 *   npx tsx bench/checkpoint-save.ts <tree> <a version-1 checkpoint.json, e.g. ec813f9's .bench/overhead-state/checkpoint.json> [writes]
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [tree, file, n = '40'] = process.argv.slice(2);
const { CheckpointStore } = (await import(join(resolve(tree), 'src/sources/checkpoint.ts'))) as typeof import('../src/sources/checkpoint.js');
const { TypedCopy } = (await import(join(resolve(tree), 'src/core/typed-codec.ts'))) as typeof import('../src/core/typed-codec.js');
const saved = JSON.parse(readFileSync(file, 'utf8')) as { state: unknown };
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const revive = (v: unknown): unknown => {
  if (typeof v === 'string') return v.length >= 16 && v.length % 4 === 0 && BASE64.test(v) ? new TypedCopy(new Uint8Array(Buffer.from(v, 'base64'))) : v;
  if (Array.isArray(v)) return v.map(revive);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  return v;
};
const state = revive(saved.state);
const dir = mkdtempSync(join(tmpdir(), 'checkpoint-save-'));
const store = new CheckpointStore({ path: join(dir, 'checkpoint.json'), stateProvider: () => state });
/** The main thread's CPU ms (utime + stime, in 10 ms ticks), apart from libuv's pool and V8's helpers. */
const mainCpu = () => {
  const f = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
for (let i = 0; i < 5; i++) await store.save();
const writes = Number(n);
const m0 = mainCpu();
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < writes; i++) await store.save();
const c = process.cpuUsage(c0);
const onDisk = readdirSync(dir).filter((x) => x === 'checkpoint.json' || x.includes('journal-bin-'));
console.log(
  JSON.stringify({
    tree,
    writes,
    mainMsPerWrite: +((mainCpu() - m0) / writes).toFixed(2),
    processMsPerWrite: +((c.user + c.system) / 1000 / writes).toFixed(2),
    wallMsPerWrite: +((performance.now() - t0) / writes).toFixed(2),
    bytesOnDisk: onDisk.reduce((s, x) => s + statSync(join(dir, x)).size, 0),
    errors: store.stats.errors,
  }),
);
