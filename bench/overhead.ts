/**
 * `npm run bench:overhead`: modelwatch's CPU at a realistic load. Pre-fills a log with the 10k
 * warm-up records (10,500 lines), starts modelwatch live on it (bench/run-live.ts, compiled: HTTP
 * server, polls at most every poll_interval (BENCH_POLL seconds, default the config's 5 s), state
 * checkpoints every checkpoint.interval (BENCH_CHECKPOINT_INTERVAL seconds, default the config's 15 s)), then appends BENCH_RATE records/s (default 1,000; 0 = idle), a write(2)
 * per line as a model server logging each request makes them (BENCH_WRITE_EVERY_MS=100: the due
 * lines in one write every 100 ms, as this bench wrote them until the 2 December round), for
 * BENCH_SECONDS (default 60) while modelwatch tails it and this process
 * scrapes it every 15 s (from outside, as Prometheus does). Prints CPU seconds per minute and % of one core (the child's own process.cpuUsage, all
 * threads) over the window, which starts BENCH_WARMUP_SECONDS (default 120 under load) after `ready`:
 * the steady state; the first minute after `ready` is printed beside it.
 * BENCH_MTAIL=1 adds mtail (bench/mtail-peer.ts: the traffic metrics alone, from bench:ingest's
 * anchored program) tailing the same log at the same rate, scraped alike, its CPU read from
 * /proc/PID/stat over the same window (its own defaults: polls every 250 ms; BENCH_MTAIL_ARGS adds flags).
 * BENCH_ROUNDS (default 1) repeats it; BENCH_BASE=<another checkout> alternates with that tree's
 * modelwatch (the same bench/run-live.ts must be there: copy it into an older checkout) for a before/after in the same sitting.
 * The child runs on the container image's Node (bench/build.ts benchNode: installed from the npm registry
 * when this machine's is another major) with its flags (the Dockerfile ENTRYPOINT's); BENCH_NODE_ARGS adds
 * more. BENCH_NODE=<node binary> runs it on another Node (BENCH_BASE_NODE: the base tree's; with
 * BENCH_BASE=. the two compare Node versions on one tree). BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the measured period alone (taken in the
 * child by the inspector; print it with bench/profile-table.ts; BENCH_UNBUNDLED=1 keeps the names).
 * BENCH_CHILD_LOG=<file> keeps the child's stdout (e.g. BENCH_NODE_ARGS=--trace-gc).
 * Idle (BENCH_RATE=0), BENCH_SETTLED_SECONDS (default 120) more are measured after the window, once
 * V8's memory reducer is done: the settled rate and the burst's aftermath (CPU paid once) get a table of their own.
 * BENCH_PREFILL_SPAN=<seconds> (e.g. 3600): the pre-filled lines' record times span that much of the
 * past (5 lines a second of it after the warm-up lines, dated just before it), so the windows, which
 * place records by their record time, are those of a sidecar that has run that long: with the
 * bench's `{duration: '1h'}` windows, every 2-minute sub-bucket full (~600 lines each; a reservoir
 * keeps 334). Without it (0) the pre-fill spans ~10 s and a 1 h window holds two or three
 * sub-buckets at the measured window. After each run the saved state's census is printed (time
 * windows, their non-empty sub-buckets, the checkpoint's and its journals' bytes) with the bytes the
 * child wrote over the window (/proc/self/io wchar: the checkpoint's files, its scrape answers).
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { appendFileSync, closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, benchNode, buildBench, compiledBench, shippedNodeFlags } from './build.js';
import { line } from './generate-log.js';
import { fmt, median, table } from './measure.js';
import { countRequests, MTAIL_MISSING, mtailInstalled, peakRssMiB, processCpuSeconds, startMtail } from './mtail-peer.js';
import { mulberry32 } from '../src/stats/random.js';
import { stateCensus, type StateCensus } from './state-census.js';

const rate = Number(process.env.BENCH_RATE ?? 1000);
// BENCH_WRITE_EVERY_MS: how often the writer wakes (default 1); under 100, each due line is a write of
// its own, as a model server that logs each request as it answers it does (~1,000 writes a second at
// 1,000 records/s: each one an inotify event in the sidecar's watched directory); 100 or more, the
// due lines in one write, as the bench wrote them before the 2 December round.
const writeEveryMs = Number(process.env.BENCH_WRITE_EVERY_MS ?? 1);
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const base = process.env.BENCH_BASE ? resolve(process.env.BENCH_BASE) : undefined;
// BENCH_BASE_NODE: the Node binary the base tree's child runs on (default BENCH_NODE's): BENCH_BASE=. with
// BENCH_NODE and BENCH_BASE_NODE set compares two Node versions on one tree.
const node = benchNode();
const baseNode = process.env.BENCH_BASE_NODE ?? node;
// Idle, the window above still holds the burst's aftermath (the first tick over the pre-filled
// lines, V8's memory reducer's collections); BENCH_SETTLED_SECONDS more are measured once the
// reducer is done (bench/run-live.ts settle()), so both what an hour idle costs a minute and what
// the burst cost once are reported. Default 120 s when idle, 0 (off) under load.
const settledSeconds = Number(process.env.BENCH_SETTLED_SECONDS ?? (rate === 0 ? 120 : 0));
// Under load, BENCH_WARMUP_SECONDS (default 120) at the full rate come before the measured window:
// V8 is still compiling paths first taken after start for about two minutes (compiles 130 / 65 / 25
// in minutes 1 / 2 / 3 after ready, its helper threads 0.8 / 0.56 / 0.29 CPU s). A sidecar runs for
// days, so the window is the steady state; the first minute after start is reported beside it.
// Idle (BENCH_RATE=0) has its own settled period instead (default 0 there).
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? (rate === 0 ? 0 : 120));
// The pre-filled lines hold the 10k warm-up records (status 200; the 1 % of failed requests do not
// count toward the warm-up, so 10,000 lines left the last ~100 records and the reference fit, PCA
// included, ~0.2–0.5 s of CPU, inside the measured minute: start-up work, not the steady state).
const WARMUP_LINES = 10_500;
const prefillSpan = Number(process.env.BENCH_PREFILL_SPAN ?? 0);
/** Pre-filled lines a second of BENCH_PREFILL_SPAN: 600 a 2-minute sub-bucket, the 334 a reservoir keeps and more. */
const SPAN_LINES_PER_SECOND = 5;
const PREFILL = WARMUP_LINES + prefillSpan * SPAN_LINES_PER_SECOND;
// BENCH_CHILD_LOG=<file>: the child's stdout appended there (with BENCH_NODE_ARGS=--trace-gc, the collections by reason).
const childLog = process.env.BENCH_CHILD_LOG;
const total = PREFILL + rate * (warmupSeconds + seconds);
const dir = join(ROOT, '.bench', 'overhead');
const log = join(dir, 'model.log');
mkdirSync(dir, { recursive: true });
// BENCH_NODE_ARGS: extra node flags for the child (BENCH_PROFILE, not --cpu-prof, profiles the measured period).
// Each tree with its own image's flags: a before/after compares what each ships.
const nodeArgs = (root: string) => [...shippedNodeFlags(root), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];

interface LiveResult {
  wall: number;
  /** Bytes the child wrote over the window (/proc/self/io wchar; absent in a tree from before it was measured, or off Linux). */
  wroteBytes?: number;
  /** The saved state at the end (read by this process from the state directory). */
  census?: StateCensus;
  /** The child's Node version (absent in a tree from before it was reported). */
  node?: string;
  /** checkpoint.interval in seconds (absent in a tree from before it was reported: 5 s there). */
  checkpointSeconds?: number;
  cpuSeconds: number;
  /** The first minute after ready, inside the warm-up (absent without one, or in a tree from before it was measured). */
  firstMinute?: { seconds: number; cpuSeconds: number };
  lines: number;
  maxRssMiB: number;
  /** Collector pauses on the main thread over the period (absent in a tree from before they were measured). */
  gc?: { minorMs: number; majorMs: number; major: number };
  /** CPU seconds by thread name (absent in a tree from before they were measured, or off Linux). */
  threads?: Record<string, number>;
  /** Over the window: minor page faults, voluntary and forced context switches. */
  kernel?: { minorFaults: number; switches: number; forcedSwitches: number };
  /** The settled idle period after the window (absent when not asked for, or in a tree from before it was measured). */
  settled?: { from: number; cpuBefore: number; seconds: number; cpuSeconds: number; reducerGcs: number; settled: boolean };
  /** Major collections after ready: seconds since ready, pause, whether the memory reducer started it. */
  majors?: { at: number; ms: number; reducer: boolean }[];
  /** The process's CPU seconds since ready at each whole minute (of the whole run, window and settled period). */
  minutes?: number[];
}

/** Scrapes /metrics every 15 s from this process (Prometheus is not in the sidecar's pod either) until stopped; returns the count. */
function scraper(url: string): { stop: () => number } {
  let scrapes = 0;
  const timer = setInterval(() => {
    void fetch(`${url}/metrics`)
      .then((r) => r.text())
      .then(() => void scrapes++)
      .catch(() => undefined);
  }, 15_000);
  return {
    stop: () => {
      clearInterval(timer);
      return scrapes;
    },
  };
}

/**
 * The bench log pre-filled (PREFILL lines); `start()` then appends `rate` lines a second until
 * `total` (as BENCH_WRITE_EVERY_MS says) and resolves when the last is written.
 */
function benchLog(): { start: () => Promise<void> } {
  const rand = mulberry32(3);
  const now = Date.now();
  // Line i's record time, ms: a millisecond apart, the last pre-filled line now; with a span, the
  // warm-up lines just before it and the span's lines SPAN_LINES_PER_SECOND a second up to now.
  const spanStart = now - prefillSpan * 1000;
  const recordTime = (i: number) =>
    prefillSpan === 0 || i >= PREFILL ? now - PREFILL + i : i < WARMUP_LINES ? spanStart - WARMUP_LINES + i : spanStart + ((i - WARMUP_LINES) * 1000) / SPAN_LINES_PER_SECOND;
  const lines = (from: number, to: number) => {
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(line(i, total * 2, rand, recordTime(i) - i));
    return out.join('\n') + '\n';
  };
  writeFileSync(log, lines(0, PREFILL));
  let written = PREFILL;
  const start = () =>
    new Promise<void>((done) => {
      const t0 = performance.now();
      const fd = openSync(log, 'a');
      const timer = setInterval(() => {
        const due = Math.min(total, PREFILL + Math.floor(((performance.now() - t0) / 1000) * rate));
        if (writeEveryMs >= 100) {
          if (due > written) writeSync(fd, lines(written, due));
        } else {
          // A model server logging each request as it answers it: one write(2) a line.
          for (let i = written; i < due; i++) writeSync(fd, lines(i, i + 1));
        }
        written = due;
        if (written >= total) {
          clearInterval(timer);
          closeSync(fd);
          done();
        }
      }, writeEveryMs);
    });
  return { start };
}

async function runOnce(root: string, node: string): Promise<LiveResult & { scrapes: number }> {
  const { start } = benchLog();
  const child = spawn(node, [...nodeArgs(root), compiledBench('run-live', root), log, String(PREFILL), String(seconds), String(settledSeconds), String(warmupSeconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const output = createInterface({ input: child.stdout });
  let last = '';
  let scraping: { stop: () => number } | undefined;
  for await (const l of output) {
    if (childLog) appendFileSync(childLog, l + '\n');
    if (l.startsWith('ready ')) {
      void start();
      scraping = scraper(l.slice(6));
    }
    last = l;
  }
  const scrapes = scraping?.stop() ?? 0;
  return { ...(JSON.parse(last) as LiveResult), scrapes, census: await stateCensus(join(dir, '..', 'overhead-state', 'checkpoint.json')) };
}

/**
 * mtail tailing the same log at the same rate, scraped alike, measured over the same window from
 * outside (/proc/PID/stat): the peer computing only the traffic metrics, as in bench:ingest.
 */
async function runMtailOnce(): Promise<LiveResult & { scrapes: number }> {
  const { start } = benchLog();
  const { child, url } = await startMtail(log);
  const pid = child.pid!;
  const counted = async () => countRequests(await (await fetch(`${url}/metrics`)).text());
  try {
    const writing = start();
    const scraping = scraper(url);
    await sleep(warmupSeconds * 1000);
    // The counts read outside the window: a scrape of their own.
    const before = await counted();
    const cpu0 = processCpuSeconds(pid);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpuSeconds = processCpuSeconds(pid) - cpu0;
    const wall = (performance.now() - t0) / 1000;
    const lines = (await counted()) - before;
    const scrapes = scraping.stop();
    const maxRssMiB = peakRssMiB(pid);
    await writing;
    return { wall, cpuSeconds, lines, maxRssMiB, scrapes, node: undefined };
  } finally {
    child.kill();
  }
}

/** The checkpoint interval a run had (5 s in a tree from before it was reported). */
const checkpointSecondsOf = (res: LiveResult) => res.checkpointSeconds ?? 5;

/** The state's census and the bytes written, one line. */
function censusLine(res: LiveResult): string {
  const c = res.census;
  const every = checkpointSecondsOf(res);
  const wrote = res.wroteBytes === undefined ? '' : `wrote ${fmt.fixed(res.wroteBytes / 1e6 / (res.wall / 60), 1)} MB a minute (${fmt.fixed(res.wroteBytes / 1e6 / (res.wall / every), 2)} MB per ${every} s); `;
  if (!c) return `  ${wrote}no checkpoint`;
  return `  ${wrote}checkpoint ${fmt.fixed(c.checkpointBytes / 1e6, 2)} MB + journals ${fmt.fixed(c.journalBytes / 1e6, 2)} MB; ${c.timeWindows} value time windows, ${c.subBuckets} non-empty sub-buckets (${c.fewest}–${c.most} a window), ${fmt.int(c.values)} reservoir values`;
}

buildBench(['run-live']);
if (base) buildBench(['run-live'], base);
// BENCH_MTAIL=1: mtail tailing the same log alike, a run of its own each round (bench/mtail-peer.ts).
const withMtail = process.env.BENCH_MTAIL === '1';
if (withMtail && !mtailInstalled()) throw new Error(`BENCH_MTAIL=1: ${MTAIL_MISSING}`);
const trees = base ? [ROOT, base] : [ROOT];
const runners = [...trees.map((t, i) => () => runOnce(t, i === 0 ? node : baseNode)), ...(withMtail ? [runMtailOnce] : [])];
const nameOf = (i: number) => (i === 0 ? 'modelwatch' : i < trees.length ? 'before' : 'mtail');
const results = runners.map(() => [] as (LiveResult & { scrapes: number })[]);
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < runners.length; k++) {
    const i = (k + r) % runners.length;
    const res = await runners[i]();
    results[i].push(res);
    const threads = res.threads ? `; CPU s by thread: ${Object.entries(res.threads).filter(([, t]) => t > 0).sort((a, b) => b[1] - a[1]).map(([name, t]) => `${name} ${fmt.fixed(t, 2)}`).join(', ')}` : '';
    const first = res.firstMinute ? ` (first minute after start: ${fmt.fixed((100 * res.firstMinute.cpuSeconds) / res.firstMinute.seconds, 2)} %)` : '';
    console.log(`round ${r + 1} ${nameOf(i)}${res.node ? ` (Node ${res.node})` : ''}: ${fmt.fixed((100 * res.cpuSeconds) / res.wall, 2)} % of a core${first}, ${fmt.int(res.lines)} lines, ${res.scrapes} scrapes${res.gc ? `, GC pauses ${fmt.fixed(res.gc.minorMs + res.gc.majorMs, 0)} ms (${res.gc.major} major: ${fmt.fixed(res.gc.majorMs, 0)} ms)` : ''}${threads}`);
    if (res.kernel) console.log(`  a minute: ${fmt.int(res.kernel.minorFaults / (res.wall / 60))} minor page faults, ${fmt.int(res.kernel.switches / (res.wall / 60))} context switches (${fmt.int(res.kernel.forcedSwitches / (res.wall / 60))} forced)`);
    if (i >= trees.length) continue;
    console.log(censusLine(res));
    if (res.settled) {
      const s = res.settled;
      const majors = (res.majors ?? []).map((m) => `${fmt.fixed(m.at, 0)} s${m.reducer ? ' (reducer)' : ''} ${fmt.fixed(m.ms, 0)} ms`).join(', ');
      const perMinute = (res.minutes ?? []).map((c, m, all) => fmt.fixed((100 * (c - (m ? all[m - 1] : 0))) / 60, 2)).join(', ');
      console.log(`  settled from ${fmt.fixed(s.from, 0)} s for ${fmt.fixed(s.seconds, 0)} s: ${fmt.fixed((100 * s.cpuSeconds) / s.seconds, 3)} % of a core${s.settled ? '' : ' (NOT settled: a reducer collection inside every period)'}; major collections after ready: ${majors || 'none'}; % of a core by minute: ${perMinute}`);
    }
  }
}

const row = (name: string, rs: LiveResult[]) => {
  const share = median(rs.map((r) => r.cpuSeconds / r.wall));
  const firsts = rs.filter((r) => r.firstMinute).map((r) => r.firstMinute!.cpuSeconds / r.firstMinute!.seconds);
  return [name, fmt.int(rate), fmt.fixed(share * 60, 2), fmt.fixed(100 * share, 2), firsts.length ? fmt.fixed(100 * median(firsts), 2) : '–', fmt.int(median(rs.map((r) => r.maxRssMiB)))];
};
const after = warmupSeconds > 0 ? ` after ${warmupSeconds} s of warm-up at that rate` : '';
console.log(`\nmodelwatch live, tailing ${fmt.int(rate)} records/s, measured for ${seconds} s${after}, scraped every 15 s, state checkpoints every ${[...new Set(results.slice(0, trees.length).flat().map(checkpointSecondsOf))].join(' / ')} s; median of ${rounds}\n`);
console.log(
  table(
    ['', 'records/s', 'CPU s per minute', '% of one core', 'first minute after start, % of one core', 'peak RSS MiB'],
    [
      ...trees.map((t, i) => row(`${i === 0 ? 'modelwatch' : `before (${t})`}${results[i][0]?.node ? `, Node ${results[i][0].node}` : ''}`, results[i])),
      ...(withMtail ? [row('mtail (latency histogram + requests by status)', results[trees.length])] : []),
    ],
  ),
);
const cpuShare = (rs: LiveResult[]) => median(rs.map((r) => r.cpuSeconds / r.wall));
const whose = process.env.BENCH_CONFIG ? `the config + ${process.env.BENCH_CONFIG}` : 'every analyzer';
if (withMtail) console.log(`\nmodelwatch / mtail CPU live: ${fmt.fixed(cpuShare(results[0]) / cpuShare(results[trees.length]))}× (${whose} against the traffic metrics alone)`);

// Idle: the window's figure split into what recurs (settled) and what the burst before it cost once
// (from ready to the end of the memory reducer's last collection, as CPU seconds, not a rate: an
// hour idle pays it once).
const settledRow = (name: string, rs: LiveResult[]) => {
  const done = rs.filter((r) => r.settled);
  if (done.length === 0) return undefined;
  const perMinute = (r: LiveResult) => (r.settled!.cpuSeconds / r.settled!.seconds) * 60;
  const once = (r: LiveResult) => r.settled!.cpuBefore - (perMinute(r) / 60) * r.settled!.from;
  return [
    name,
    fmt.fixed(100 * median(rs.map((r) => r.cpuSeconds / r.wall)), 3),
    fmt.fixed(median(done.map((r) => r.settled!.seconds)), 0),
    fmt.fixed(median(done.map(perMinute)), 3),
    `**${fmt.fixed(median(done.map(perMinute)) / 0.6, 3)}**`,
    fmt.fixed(median(done.map((r) => r.settled!.from)), 0),
    fmt.fixed(median(done.map(once)), 3),
    done.map((r) => `${r.settled!.reducerGcs}${r.settled!.settled ? '' : ' (not settled)'}`).join(', '),
  ];
};
const settledRows = trees.map((t, i) => settledRow(i === 0 ? 'modelwatch' : `before (${t})`, results[i])).filter((r) => r !== undefined);
if (settledRows.length > 0) {
  console.log(`\nIdle, settled: the ${settledSeconds} s after V8's memory reducer's last collection (and after the window); the burst's aftermath, once: CPU from ready to that collection beyond the settled rate; median of ${rounds}\n`);
  console.log(
    table(
      ['', `window (${seconds} s), % of one core`, 'settled s', 'settled CPU s per minute', 'settled % of one core', 'settled from (s after ready)', 'aftermath, CPU s once', 'reducer collections'],
      settledRows,
    ),
  );
}
