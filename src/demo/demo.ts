/**
 * `modelwatch demo`: starts the simulated model server as a child process writing JSONL logs into
 * a temp folder, points a sidecar at them through a commented config file it prints, then the URL
 * and a live one-line summary.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/schema.js';
import { createLogger, type LevelWithSilent, type LogFormat } from '../core/log.js';
import { windowSpecs } from '../analyzers/drift.js';
import { startModelwatch, type Modelwatch } from '../main.js';
import { formatSummary, summarize, type Summary } from './summary.js';
import { writeDemoConfig } from './demo-config.js';

export interface DemoOptions {
  listen: string;
  logLevel: LevelWithSilent;
  logFormat?: LogFormat;
  rate: number;
}

export function demoConfig(dir: string, listen: string, logLevel: LevelWithSilent, serverPid?: number): Config {
  return writeDemoConfig(dir, listen, logLevel, serverPid).config;
}

/**
 * The model server module: src/demo/model-server.ts under tsx, dist/demo/model-server.js once built.
 * This code sits two folders below the package root either way (src/demo/, dist/demo/, or a chunk
 * of the bundled build in dist/bundle/), so the path is taken from there.
 */
function modelServerPath(): string {
  const here = fileURLToPath(import.meta.url);
  return join(here, '..', '..', 'demo', `model-server${here.endsWith('.ts') ? '.ts' : '.js'}`);
}

export function startDemoServer(dir: string, rate: number, extraArgs: string[] = []): ChildProcess {
  const path = modelServerPath();
  // Run from source (tsx, tests) the child needs the TypeScript loader too; built, plain node.
  const execArgv = path.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return fork(path, ['--dir', dir, '--rate', String(rate), ...extraArgs], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
}

/**
 * The server's traffic: 10 s on the training years, then one model year every 10 s (1975 → 1982),
 * so drift is flagged within the first minute (test/demo/first-minute.test.ts replays it).
 */
export const DEMO_TIMELINE = { warmupSeconds: 10, yearSeconds: 10 };
const TIMELINE_ARGS = ['--warmup', String(DEMO_TIMELINE.warmupSeconds), '--year', String(DEMO_TIMELINE.yearSeconds)];

function intro(out: NodeJS.WriteStream, demo: { path: string; text: string }, pid: number | undefined, dir: string, url: string | undefined): void {
  out.write(`modelwatch demo: a simulated Auto MPG model server (pid ${pid}) writes its request log to ${join(dir, 'requests.jsonl')}\n`);
  out.write(`It serves cars of the training years (1970–74) for 10 s, then one newer model year every 10 s:\n`);
  out.write(`the inputs drift within the first minute and the error grows as the labels arrive.\n\n`);
  out.write(`The config it runs with, ${demo.path} (copy it to watch your own server):\n\n`);
  out.write(demo.text.replace(/^/gm, '    '));
  out.write(`\nmetrics:  ${url}/metrics\nlanding:  ${url}/\n`);
  out.write(`The line below: records/s, p95 latency, errors (failed requests and torn log lines, each logged with\n`);
  out.write(`its file and offset under --log.level warn), features drifted in the 30 s window, MAE against the\n`);
  out.write(`training data's once labels arrive. Press Ctrl-C to stop.\n\n`);
}

export async function runDemo(o: DemoOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-demo-'));
  // The server creates its logs at once too; created here, the sidecar never starts on a missing file.
  for (const log of ['requests.jsonl', 'labels.jsonl']) appendFileSync(join(dir, log), '');
  const child = startDemoServer(dir, o.rate, TIMELINE_ARGS);
  const out = process.stdout;
  let mw: Modelwatch | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const demo = writeDemoConfig(dir, o.listen, o.logLevel, child.pid);
    mw = await startModelwatch({ config: demo.config, logger: createLogger(o.logLevel, process.stderr, o.logFormat) });
    intro(out, demo, child.pid, dir, mw.url);
    const window = windowSpecs(demo.config.drift)[0].label;
    const registry = mw.registry;
    let previous: Summary | undefined;
    timer = setInterval(() => {
      void registry.getMetricsAsJSON().then((json) => {
        const s = summarize(json, Date.now(), previous, window);
        previous = s;
        const line = formatSummary(s, window);
        out.write(out.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
      });
    }, 1000);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      child.once('exit', resolve);
    });
    out.write('\nstopping…\n');
    return 0;
  } finally {
    if (timer) clearInterval(timer);
    child.kill('SIGTERM');
    await mw?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
