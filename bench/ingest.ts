/**
 * `npm run bench:ingest`: modelwatch's full one-shot pipeline against mtail on the same log.
 *
 * Generates the model log (fixed seed, BENCH_LINES lines, default 1M: 20 features, latency, status,
 * model, version), compiles modelwatch (bench/build.ts), then runs, interleaved over BENCH_ROUNDS
 * rounds (default 3), the order rotating each round:
 *   (a) modelwatch: tail → map → traffic (latency histogram, counters) + drift (20 features × 2
 *       windows: bins and raw values) + data and model quality → /metrics text (bench/run-pipeline.ts)
 *   (b) mtail -one_shot with bench/mtail/modelwatch.mtail (anchored regexes over adjacent fields):
 *       latency histogram + requests by status, the traffic part of what modelwatch computes.
 *   (c) with BENCH_BASE=<another checkout> (e.g. a `git worktree` of the commit before a change):
 *       that tree's modelwatch, compiled the same way, for a before/after in the same sitting.
 * Each is measured from outside by /usr/bin/time (wall, user+sys CPU, peak RSS, startup included);
 * the table shows the median round. CPU seconds are the figure to read on a shared machine: wall
 * time includes waiting for a core. BENCH_CONFIG (JSON) is merged into modelwatch's config.
 * modelwatch runs with the container image's Node flags (the Dockerfile ENTRYPOINT's; BENCH_NODE_FLAGS
 * overrides, '' for Node's defaults), on the image's Node (bench/build.ts benchNode: installed from the npm
 * registry when this machine's is another major) or BENCH_NODE=<binary> (BENCH_BASE_NODE: the base tree's).
 */
import { join, resolve } from 'node:path';
import { ROOT, benchNode, buildBench, compiledBench, nodeVersion, shippedNodeFlags } from './build.js';
import { generateLog } from './generate-log.js';
import { fmt, measure, median, table, type Measured } from './measure.js';
import { countRequests, MTAIL, MTAIL_MISSING, MTAIL_PROGS, mtailInstalled } from './mtail-peer.js';

const n = Number(process.env.BENCH_LINES ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const base = process.env.BENCH_BASE ? resolve(process.env.BENCH_BASE) : undefined;
// BENCH_NODE / BENCH_BASE_NODE: the Node binaries modelwatch and the base tree run on (bench/build.ts).
const node = benchNode();
const baseNode = process.env.BENCH_BASE_NODE ?? node;
const log = join(ROOT, '.bench', `model-log-${n}.jsonl`);

const t0 = performance.now();
await generateLog(log, n);
console.log(`log: ${log} (${n} lines, generated or reused in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
buildBench(['run-pipeline']);
if (base) buildBench(['run-pipeline'], base);
const hasMtail = mtailInstalled();
// The image's flags (the Dockerfile ENTRYPOINT's) unless BENCH_NODE_FLAGS says otherwise ('' for Node's defaults).
// Each tree with its own image's flags (a before/after compares what each ships).
const nodeFlags = (root: string) => (process.env.BENCH_NODE_FLAGS ?? shippedNodeFlags(root).join(' ')).split(' ').filter(Boolean);
console.log(`modelwatch runs with node ${nodeFlags(ROOT).join(' ') || '(default flags)'}${base ? `; the base tree with ${nodeFlags(base).join(' ') || '(default flags)'}` : ''}`);
if (!hasMtail) console.log(`${MTAIL_MISSING}: modelwatch only`);

interface Peer {
  name: string;
  run: () => Measured;
}

function modelwatch(name: string, root: string, node: string): Peer {
  return {
    name,
    run: () => {
      const m = measure(node, [...nodeFlags(root), compiledBench('run-pipeline', root), log]);
      const self = JSON.parse(m.stdout.trim().split('\n').at(-1)!) as { lines: number };
      if (self.lines !== n) throw new Error(`${name} read ${self.lines} lines, expected ${n}`);
      return m;
    },
  };
}

const mtailCounted: number[] = [];
const peers: Peer[] = [modelwatch(`modelwatch (full pipeline), ${nodeVersion(node)}`, ROOT, node)];
if (base) peers.push(modelwatch(`modelwatch before (${base}), ${nodeVersion(baseNode)}`, base, baseNode));
if (hasMtail) {
  peers.push({
    name: 'mtail (latency histogram + requests by status)',
    run: () => {
      // Port 0 on loopback: two benches at once would both want mtail's default 3903 (it listens even in one-shot mode).
      const m = measure(MTAIL, ['-one_shot', '-one_shot_format', 'prometheus', '-progs', MTAIL_PROGS, '-logs', log, '-logtostderr', '-address', '127.0.0.1', '-port', '0']);
      mtailCounted.push(countRequests(m.stdout));
      return m;
    },
  });
}

const runs = peers.map(() => [] as Measured[]);
for (let r = 0; r < rounds; r++) {
  const times: string[] = [];
  for (let k = 0; k < peers.length; k++) {
    const i = (k + r) % peers.length;
    const m = peers[i].run();
    runs[i].push(m);
    times.push(`${peers[i].name.split(' (')[0]} ${m.cpuSeconds.toFixed(2)} CPU s`);
  }
  console.log(`round ${r + 1}: ${times.join(', ')}`);
}
if (mtailCounted.some((c) => c !== n)) console.log(`warning: mtail counted ${mtailCounted.join(', ')} requests of ${n} lines`);

const wallOf = (ms: Measured[]) => median(ms.map((m) => m.wallSeconds));
const cpuOf = (ms: Measured[]) => median(ms.map((m) => m.cpuSeconds));

function row(name: string, ms: Measured[]): string[] {
  const wall = wallOf(ms);
  const cpu = cpuOf(ms);
  return [name, fmt.int(n / wall), fmt.fixed(wall), fmt.fixed(cpu), fmt.fixed((cpu / n) * 1e6), fmt.fixed(cpu / wall), fmt.int(median(ms.map((m) => m.maxRssMiB)))];
}

console.log(`\n${n.toLocaleString('en-US')} lines, median of ${rounds} interleaved rounds${process.env.BENCH_CONFIG ? `, modelwatch config + ${process.env.BENCH_CONFIG}` : ''}\n`);
console.log(table(['', 'lines/s', 'wall s', 'CPU s', 'CPU µs/line', 'cores', 'peak RSS MiB'], peers.map((p, i) => row(p.name, runs[i]))));
if (hasMtail) {
  const mt = runs.at(-1)!;
  console.log(`\nmodelwatch / mtail CPU per line: ${(cpuOf(runs[0]) / cpuOf(mt)).toFixed(2)}× (target ≤ 0.4×, stretch ≤ 0.25×)`);
  console.log(`modelwatch / mtail lines/s (wall): ${(wallOf(mt) / wallOf(runs[0])).toFixed(2)}× (stretch ≥ 3×)`);
}
if (base) console.log(`after / before CPU: ${(cpuOf(runs[0]) / cpuOf(runs[1])).toFixed(2)}×`);
