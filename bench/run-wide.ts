/**
 * Child process of the drift, metrics and memory benches: the full one-shot pipeline over a wide log
 * (argv: log path, feature count), every drift method, windows of 10k observations (count 10k, and
 * 1h with max_window_values 10k); then times the drift tick and /metrics renders and prints JSON.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { createLogger } from '../src/core/log.js';
import { configSchema } from '../src/config/schema.js';
import { startModelwatch } from '../src/main.js';
import { DRIFT_METHODS } from '../src/stats/methods/index.js';
import { wideFeatures } from './wide-log.js';
import { median } from './measure.js';

const [log, featureArg] = process.argv.slice(2);
const config = configSchema.parse({
  sources: [{ type: 'file', paths: [log], max_line_bytes: 1 << 24 }],
  features: wideFeatures(Number(featureArg)),
  reference: { warmup_records: 10_000 },
  drift: { windows: [{ count: 10_000 }, { duration: '1h' }], methods: DRIFT_METHODS.map((m) => m.name), max_window_values: 10_000 },
  resources: { enabled: false },
});
// One more record before each timed tick, through stdin: every window changes, so each tick
// recomputes everything (a tick with nothing new keeps its results and would time nothing).
const more = new PassThrough();
const mw = await startModelwatch({ config, logger: createLogger('silent'), oneShot: true, stdin: more });
// The file to its end (stdin ends only at stop), then the final tick of a one-shot drain.
for (const s of mw.sources) if (s.name !== 'stdin') await s.drain();
await mw.tick();
const afterIngest = process.memoryUsage();
const lastLine = readFileSync(log, 'utf8').trimEnd().split('\n').at(-1)!;
/**
 * One scrape as /metrics makes it: the bytes it sends (a tree from before metricsBody, with
 * BENCH_BASE: the text, as its /metrics then rendered it); the text for counting, untimed, after.
 */
async function scrape(): Promise<() => string> {
  const m = mw as typeof mw & { metricsBody?: () => Promise<{ bytes: Buffer; release(): void }> };
  if (!m.metricsBody) {
    const text = await mw.metrics();
    return () => text;
  }
  const body = await m.metricsBody();
  return () => {
    const text = body.bytes.toString('utf8');
    body.release();
    return text;
  };
}
const ticks: number[] = [];
/** The tick's main-thread CPU ms: what it costs whatever else runs on the machine (the wall time waits for it). */
const tickMain: number[] = [];
/**
 * The main thread's CPU time in ms (Linux: its schedstat, in ns), NaN elsewhere. The process's CPU
 * also counts the collector's helper threads, which after a tick are still marking its garbage.
 */
function mainThreadMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}
/** One scrape with its wall-clock and CPU milliseconds (the process's, all threads; and the main thread's). */
async function timedScrape(): Promise<{ wallMs: number; cpuMs: number; mainMs: number; body: () => string }> {
  const cpu = process.cpuUsage();
  const main = mainThreadMs();
  const t = performance.now();
  const body = await scrape();
  const wallMs = performance.now() - t;
  const mainMs = mainThreadMs() - main;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, mainMs, body };
}

/** The first scrape after each tick: every drift value has moved since the scrape before. */
const afterTick: number[] = [];
const afterTickCpu: number[] = [];
const afterTickMain: number[] = [];
const driftTicks: number[] = [];
for (let i = 0; i < 5; i++) {
  const lines = mw.stats.totalLines();
  more.write(`${lastLine}\n`);
  while (mw.stats.totalLines() === lines) await new Promise((r) => setImmediate(r));
  const t = performance.now();
  const main = mainThreadMs();
  await mw.tick();
  tickMain.push(mainThreadMs() - main);
  ticks.push(performance.now() - t);
  // The drift analyzer's own share of the tick, as it reports it.
  const gauge = (await mw.metrics()).split('\n').find((l) => l.startsWith('modelwatch_analyzer_tick_duration_seconds{analyzer="drift"}'));
  driftTicks.push(Number(gauge?.split(' ').at(-1)) * 1000);
  more.write(`${lastLine}\n`);
  while (mw.stats.totalLines() === lines + 1) await new Promise((r) => setImmediate(r));
  await mw.tick();
  // A scrape lands at any phase of the tick interval: this one 200 ms after the tick ended (the
  // tick's garbage mostly collected), with every value moved since the scrape before.
  await new Promise((r) => setTimeout(r, 200));
  const after = await timedScrape();
  afterTick.push(after.wallMs);
  afterTickCpu.push(after.cpuMs);
  afterTickMain.push(after.mainMs);
  after.body();
}
const renders: number[] = [];
const renderCpu: number[] = [];
const renderMain: number[] = [];
let text = '';
// BENCH_RENDERS: more renders for a --cpu-prof of the render alone.
for (let i = 0; i < Number(process.env.BENCH_RENDERS ?? 30); i++) {
  const render = await timedScrape();
  renders.push(render.wallMs);
  renderCpu.push(render.cpuMs);
  renderMain.push(render.mainMs);
  text = render.body();
}
await mw.stop();
const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
process.stdout.write(
  JSON.stringify({
    lines: mw.stats.totalLines(),
    tickMs: median(ticks),
    tickMainMs: median(tickMain),
    driftTickMs: median(driftTicks),
    renderMs: median(renders),
    renderMaxMs: Math.max(...renders),
    renderCpuMs: median(renderCpu),
    renderAfterTickMs: median(afterTick),
    renderAfterTickCpuMs: median(afterTickCpu),
    renderMainMs: median(renderMain),
    renderAfterTickMainMs: median(afterTickMain),
    series,
    bytes: Buffer.byteLength(text),
    rssMiB: afterIngest.rss / 1048576,
    heapMiB: afterIngest.heapUsed / 1048576,
    arrayBuffersMiB: afterIngest.arrayBuffers / 1048576,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);
