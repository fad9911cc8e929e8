/**
 * `modelwatch demo`: starts the simulated model server as a child process writing JSONL logs into
 * a temp folder, points a sidecar at them, prints the URL and a live one-line summary.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LevelWithSilent } from 'pino';
import { configSchema, type Config } from '../config/schema.js';
import { createLogger, type LogFormat } from '../core/log.js';
import { startModelwatch } from '../main.js';
import { summarize, type Summary } from './summary.js';
import { MODEL } from './model-server.js';
import { writeReferenceCsv } from './reference-data.js';

export interface DemoOptions {
  listen: string;
  logLevel: LevelWithSilent;
  logFormat?: LogFormat;
  rate: number;
}

export function demoConfig(dir: string, listen: string, logLevel: LevelWithSilent, serverPid?: number): Config {
  const reference = join(dir, 'reference.csv');
  writeReferenceCsv(reference);
  return configSchema.parse({
    server: { listen },
    log: { level: logLevel },
    model: { name: MODEL.name, version: MODEL.version },
    reference: { path: reference, prediction_column: 'prediction', label_column: 'Miles_per_Gallon' },
    // The demo's model server is a plain child process: its own cgroup is the session's, not a container's.
    resources: serverPid ? { target: { name: 'demo-model-server', pid: serverPid }, interval: '2s', cgroup: { enabled: false } } : { enabled: false },
    drift: { windows: [{ duration: '1m' }, { duration: '5m' }], interval: '5s' },
    // MPG is a regression target; a miss is an error above 4 MPG (for DDM's 0/1 input).
    quality: { task: 'regression', miss_threshold: 4, detectors: [{ name: 'adwin' }, { name: 'page_hinkley' }, { name: 'ddm' }] },
    sources: [
      { type: 'file', name: 'requests', paths: [join(dir, 'requests.jsonl')], start_at: 'beginning', poll_interval: '200ms' },
      { type: 'file', name: 'labels', role: 'labels', paths: [join(dir, 'labels.jsonl')], start_at: 'beginning', poll_interval: '1s' },
    ],
  });
}

/** The model server module sits next to this file, as .ts under tsx and .js once built. */
function modelServerPath(): string {
  const here = fileURLToPath(import.meta.url);
  return join(here, '..', `model-server${here.endsWith('.ts') ? '.ts' : '.js'}`);
}

export function startDemoServer(dir: string, rate: number, extraArgs: string[] = []): ChildProcess {
  const path = modelServerPath();
  // Run from source (tsx, tests) the child needs the TypeScript loader too; built, plain node.
  const execArgv = path.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return fork(path, ['--dir', dir, '--rate', String(rate), ...extraArgs], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
}

export async function runDemo(o: DemoOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-demo-'));
  const child = startDemoServer(dir, o.rate);
  const config = demoConfig(dir, o.listen, o.logLevel, child.pid);
  const mw = await startModelwatch({ config, logger: createLogger(o.logLevel, process.stderr, o.logFormat) });
  const out = process.stdout;
  out.write(`modelwatch demo: simulated Auto MPG model server (pid ${child.pid}) writing logs to ${dir}\n`);
  out.write(`metrics:  ${mw.url}/metrics\nlanding:  ${mw.url}/\nPress Ctrl-C to stop.\n\n`);
  let previous: Summary | undefined;
  const timer = setInterval(() => {
    void mw.registry.getMetricsAsJSON().then((json) => {
      const s = summarize(json, Date.now(), previous);
      previous = s;
      const line = `records/s ${s.ratePerSecond.toFixed(1).padStart(6)} | p95 latency ${(s.p95Seconds * 1000).toFixed(1).padStart(7)} ms | errors ${String(s.errors).padStart(5)} | records ${s.records}`;
      out.write(out.isTTY ? `\r${line}` : `${line}\n`);
    });
  }, 1000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    child.once('exit', resolve);
  });
  clearInterval(timer);
  out.write('\nstopping…\n');
  child.kill('SIGTERM');
  await mw.stop();
  rmSync(dir, { recursive: true, force: true });
  return 0;
}
