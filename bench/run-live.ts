/**
 * Child process of the overhead bench: modelwatch live (HTTP server, timers, polls woken by inotify
 * at most every poll_interval, 5 s by default or BENCH_POLL seconds, state checkpoints every
 * checkpoint.interval, 15 s by default or BENCH_CHECKPOINT_INTERVAL seconds)
 * tailing the bench log from its beginning. Prints `ready <url>` once the pre-filled lines are read, then, after `warmup` seconds (argv; the first minute's CPU kept apart),
 * its own CPU seconds over the next `seconds` (argv) as JSON, with the bytes it wrote meanwhile
 * (/proc/self/io wchar: the checkpoint's files and the scrapes' answers).
 * The parent scrapes /metrics every 15 s, as Prometheus would from outside:
 * an HTTP client in this process (undici, loaded at the first fetch) would be counted as ours.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { createLogger } from '../src/core/log.js';
import { configSchema } from '../src/config/schema.js';
import { startModelwatch } from '../src/main.js';
import { CATEGORICAL, NUMERIC } from './generate-log.js';

const [log, prefillArg, secondsArg, settledArg, warmupArg] = process.argv.slice(2);
const windowSeconds = Number(secondsArg);
// Seconds at the full rate between ready and the measured window (0: none). V8 is still compiling
// the paths first taken after start (the first ticks, captures, evictions): ~130 compiles in the
// first minute, ~25 a minute from the third on, and its helper threads 0.8 / 0.56 / 0.29 CPU s in
// minutes 1 / 2 / 3 (docs/performance.md). A sidecar runs for days: the window is its steady state;
// the first minute is reported beside it.
const warmupSeconds = Number(warmupArg ?? 0);
// Seconds of settled idleness to measure after the window (0: none): see settle().
const settledSeconds = Number(settledArg ?? 0);

/** A major collection after ready: seconds since ready, its pause, whether V8's memory reducer started it, the CPU used since ready when it was reported. */
interface MajorGc {
  at: number;
  ms: number;
  reducer: boolean;
  cpu: number;
}
// The state in a directory of its own, beside the log's, as the shipped manifests have it
// (/var/lib/modelwatch vs /var/log/model-server): the log's directory is watched, and the
// checkpoint's writes would wake the tailer there, which no deployment does.
const stateDir = join(dirname(log), '..', 'overhead-state');
rmSync(stateDir, { recursive: true, force: true });
mkdirSync(stateDir, { recursive: true });
rmSync(join(dirname(log), 'checkpoint.json'), { force: true });
const checkpointPath = process.env.BENCH_CHECKPOINT === '0' ? undefined : join(stateDir, 'checkpoint.json');
const config = configSchema.parse({
  sources: [{ type: 'file', paths: [log], start_at: 'beginning', ...(process.env.BENCH_POLL ? { poll_interval: Number(process.env.BENCH_POLL) } : {}) }],
  features: [...NUMERIC.map((name) => ({ name, type: 'numeric' })), ...CATEGORICAL.map((name) => ({ name, type: 'categorical' }))],
  reference: { warmup_records: 10_000 },
  drift: { windows: [{ count: 10_000 }, { duration: '1h' }] },
  resources: { enabled: false },
  server: { listen: '127.0.0.1:0' },
  // State checkpoints as a production sidecar runs them (offsets, windows, label store every
  // checkpoint.interval, the config's default or BENCH_CHECKPOINT_INTERVAL seconds); BENCH_CHECKPOINT=0 turns them off.
  checkpoint: {
    ...(process.env.BENCH_CHECKPOINT === '0' ? {} : { path: checkpointPath }),
    ...(process.env.BENCH_CHECKPOINT_INTERVAL ? { interval: Number(process.env.BENCH_CHECKPOINT_INTERVAL) } : {}),
    state: true,
  },
  ...(process.env.BENCH_CONFIG ? JSON.parse(process.env.BENCH_CONFIG) : {}),
});
/**
 * CPU seconds of the main thread and of the others (V8's helpers: the collector's concurrent
 * marking and sweeping, the optimizing compiler; libuv's pool: gzip, file system calls), each also
 * with its kernel (system) time apart as `<name> in the kernel`, from
 * /proc/self/task (Linux; empty elsewhere). The process total from process.cpuUsage() does not say
 * which of them a record's cost lands on.
 */
function threadCpu(): Map<string, number> {
  const byName = new Map<string, number>();
  const tick = 100; // USER_HZ on Linux
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return byName;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      // V8's and libuv's threads inherit the process's name here: the main thread is the one whose id is the process's.
      const name = Number(tid) === process.pid ? 'main' : comm === 'node' ? 'other threads' : comm;
      const fields = stat.slice(close + 2).split(' ');
      // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name.
      const user = Number(fields[11]) / tick;
      const kernel = Number(fields[12]) / tick;
      byName.set(name, (byName.get(name) ?? 0) + user + kernel);
      // The kernel's part apart (system calls, page faults): CPU a JavaScript profile does not sample.
      byName.set(`${name} in the kernel`, (byName.get(`${name} in the kernel`) ?? 0) + kernel);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

/** Bytes this process has written (write(2) and the like: /proc/self/io wchar); undefined off Linux. */
function wroteBytes(): number | undefined {
  try {
    return Number(/^wchar:\s+(\d+)/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

const mw = await startModelwatch({ config, logger: createLogger('silent') });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
while (mw.stats.totalLines() < Number(prefillArg)) await sleep(50);
// Past the first checkpoint write of the pre-filled lines: the measurement starts in steady state.
// The checkpoint written at start was taken before the tailer read them, so the next timer writes
// the whole state (~0.4 s of CPU); a fixed wait let that write fall inside the idle measurement on
// a loaded machine, so wait for the file to be replaced after the lines were read.
const readAt = Date.now();
if (checkpointPath) while (!existsSync(checkpointPath) || statSync(checkpointPath).mtimeMs <= readAt) await sleep(50);
await sleep(Number(process.env.BENCH_SETTLE_MS ?? 6000));
process.stdout.write(`ready ${mw.url}\n`);
// The warm-up: what the first minute after ready costs is kept for the report, the rest waited out.
let firstMinute: { seconds: number; cpuSeconds: number } | undefined;
if (warmupSeconds > 0) {
  const w0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(Math.min(60, warmupSeconds) * 1000);
  firstMinute = { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSeconds(process.cpuUsage(w0)) };
  await sleep(Math.max(0, warmupSeconds - 60) * 1000);
}
// BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the measured period only (not start-up nor the
// pre-fill), taken in-process and written before exit: `--cpu-prof` covers the whole run and its
// file was not written when the child was stopped from outside.
const profiler = process.env.BENCH_PROFILE ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
// BENCH_HEAP_PROFILE=<file.heapprofile>: where the measured period allocates (sampled every 32 KiB,
// garbage included: what the collector then has to clear), for Chrome DevTools or bench/heap-table.ts.
// BENCH_HEAP_SURVIVORS=1 leaves out what scavenges collected: what outlived the young generation
// (promoted, whether a mark-compact later freed it or not), what makes the mark-compacts.
const heapProfiler = process.env.BENCH_HEAP_PROFILE ? new Session() : undefined;
if (heapProfiler) {
  heapProfiler.connect();
  await heapProfiler.post('HeapProfiler.enable');
  await heapProfiler.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.BENCH_HEAP_SURVIVORS !== '1' });
}
// The collector's pauses on the main thread over the measured period, by kind (their CPU is inside
// the process's; concurrent marking threads are not in these durations). Each major collection is
// also kept with the process's CPU read as its entry arrives, so a settled period can start there.
const gc = { minorMs: 0, majorMs: 0, major: 0 };
const majors: MajorGc[] = [];
let inWindow = true;
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const detail = (e as PerformanceEntry & { detail?: { kind?: number; flags?: number } }).detail;
    if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      if (inWindow) {
        gc.majorMs += e.duration;
        gc.major++;
      }
      const reducer = ((detail.flags ?? 0) & constants.NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY) !== 0;
      majors.push({ at: (performance.now() - started) / 1000, ms: e.duration, reducer, cpu: cpuSeconds(process.cpuUsage(cpu0)) });
    } else if (inWindow) gc.minorMs += e.duration;
  }
});
gcObserver.observe({ entryTypes: ['gc'] });
const threads0 = threadCpu();
const wrote0 = wroteBytes();
const cpu0 = process.cpuUsage();
// Page faults and context switches over the window: the kernel's share of the main thread (a young
// generation's pages released and touched again fault; each poll's wake-up is a switch).
const usage0 = process.resourceUsage();
const lines0 = mw.stats.totalLines();
const started = performance.now();
// The process's CPU at each whole minute since ready (one wake-up a minute), for the per-minute rows.
const minutes: number[] = [];
const minuteTimer = settledSeconds > 0 ? setInterval(() => minutes.push(cpuSeconds(process.cpuUsage(cpu0))), 60_000) : undefined;
// BENCH_MINUTE_MARKS=1: a `minute N` line on stdout at each whole minute since ready, so a child log
// taken with --trace-opt --trace-deopt (which has no timestamps) can be cut into minutes; with the CPU
// seconds by thread since ready.
let minuteMark = 0;
const markTimer = process.env.BENCH_MINUTE_MARKS === '1' ? setInterval(() => process.stdout.write(`minute ${++minuteMark} ${JSON.stringify(Object.fromEntries([...threadCpu()].map(([name, t]) => [name, +(t - (threads0.get(name) ?? 0)).toFixed(2)])))}\n`), 60_000) : undefined;
await sleep(windowSeconds * 1000);
const cpu = process.cpuUsage(cpu0);
const usage1 = process.resourceUsage();
const kernel = { minorFaults: usage1.minorPageFault - usage0.minorPageFault, switches: usage1.voluntaryContextSwitches - usage0.voluntaryContextSwitches, forcedSwitches: usage1.involuntaryContextSwitches - usage0.involuntaryContextSwitches };
const wrote1 = wroteBytes();
const threads = Object.fromEntries([...threadCpu()].map(([name, t]) => [name, t - (threads0.get(name) ?? 0)]));
const wall = (performance.now() - started) / 1000;
const lines = mw.stats.totalLines() - lines0;
inWindow = false;
const settled = settledSeconds > 0 ? await settle() : undefined;
clearInterval(minuteTimer);
clearInterval(markTimer);
gcObserver.disconnect();
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
  profiler.disconnect();
}
if (heapProfiler) {
  const { profile } = await heapProfiler.post('HeapProfiler.stopSampling');
  writeFileSync(process.env.BENCH_HEAP_PROFILE!, JSON.stringify(profile));
  // The sampled allocation of the measured period, collected objects included (V8 scales each sample to what it stands for).
  type Node = { selfSize: number; children: Node[] };
  const total = (n: Node): number => n.children.reduce((sum, c) => sum + total(c), n.selfSize);
  process.stderr.write(`heap profile: ${(total(profile.head as Node) / 1e6).toFixed(1)} MB allocated over the period (sampled)\n`);
  heapProfiler.disconnect();
}
/**
 * After the window: what an idle sidecar pays per minute once the burst before it is paid for.
 * After a burst V8's memory reducer runs up to three full collections ("Mark-Compact (reduce)"
 * in --trace-gc), started on its own timer once the heap has been quiet for a while (in the bench:
 * 110–200 s after the pre-fill), and marked by the callback flag it passes
 * (kGCCallbackFlagCollectAllExternalMemory: perf_hooks' NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY,
 * 32; checked against --trace-gc: the reducer's collections carry it, an old-space one carried 64). The settled period starts at the later of the window's
 * end and the reducer's last collection, and lasts `settledSeconds`; a reducer collection inside it
 * starts it again (a major collection without the flag is the idle sidecar's own and stays in). At
 * most `settledSeconds` × 4 more are waited; then the last period is reported as not settled.
 */
async function settle(): Promise<{ from: number; cpuBefore: number; seconds: number; cpuSeconds: number; reducerGcs: number; settled: boolean }> {
  const limit = windowSeconds + settledSeconds * 4;
  const now = () => (performance.now() - started) / 1000;
  let from = now();
  let cpuFrom = cpuSeconds(process.cpuUsage(cpu0));
  for (;;) {
    const last = majors.findLast((m) => m.reducer);
    if (last && last.at > from) {
      from = last.at;
      cpuFrom = last.cpu;
    }
    const left = from + settledSeconds - now();
    if (left <= 0 || now() >= limit) break;
    await sleep(Math.min(left, limit - now()) * 1000);
  }
  const end = now();
  return { from, cpuBefore: cpuFrom, seconds: end - from, cpuSeconds: cpuSeconds(process.cpuUsage(cpu0)) - cpuFrom, reducerGcs: majors.filter((m) => m.reducer).length, settled: end - from >= settledSeconds - 0.5 };
}

await mw.stop();
process.stdout.write(JSON.stringify({ wall, node: process.version, checkpointSeconds: config.checkpoint.interval, wroteBytes: wrote0 === undefined || wrote1 === undefined ? undefined : wrote1 - wrote0, cpuSeconds: cpuSeconds(cpu), firstMinute, lines, maxRssMiB: process.resourceUsage().maxRSS / 1024, gc, threads, kernel, settled, majors, minutes }) + '\n');
process.exit(0);
