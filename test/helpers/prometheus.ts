/**
 * Starts the real Prometheus (or Alertmanager) binary on a free loopback port for a test, and
 * queries its HTTP API. Stopped with stop(); its data dir is a temp dir.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './binaries.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface RunningPrometheus {
  url: string;
  dir: string;
  process: ChildProcess;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** A range query, start and end in seconds since the epoch. */
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<{ metric: Record<string, string>; values: [number, string][] }[]>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** Runs before Prometheus starts, with its TSDB directory (e.g. to create blocks there with promtool). */
  prepareData?: (dataDir: string) => void;
}

export async function startPrometheus(configYaml: string, extraFiles: Record<string, string> = {}, opts: PrometheusOptions = {}): Promise<RunningPrometheus> {
  const bin = requireBinary('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'mw-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), configYaml);
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(dir, name), text);
  opts.prepareData?.(join(dir, 'data'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const proc = spawn(
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      // Replayed history may be older than the default 15 days; nothing here should age out.
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  proc.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  try {
    await waitFor('prometheus ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 30_000);
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`${String(err)}\nprometheus log:\n${log}`);
  }
  return {
    url,
    dir,
    process: proc,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
      return body.data.result;
    },
    async queryRange(expr, start, end, stepSeconds) {
      const q = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(stepSeconds) });
      const res = await fetch(`${url}/api/v1/query_range?${q.toString()}`);
      const body = (await res.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
      if (body.status !== 'success') throw new Error(`range query ${expr} failed: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Pipes an exposition through `promtool check metrics`; returns its complaints ('' when clean). */
export function promtoolCheckMetrics(text: string): { ok: boolean; output: string } {
  const res = spawnSync(requireBinary('promtool'), ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}`.trim() };
}
