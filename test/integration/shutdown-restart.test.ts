/**
 * A real `modelwatch run` child process: SIGTERM flushes the checkpoint and exits 0 within 5 s, and
 * a restart resumes from the checkpoint, so every line is processed exactly once across restarts
 * and counters continue from their last exposed value.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { freePort, waitFor } from '../helpers/prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-restart-'));
const children: ChildProcess[] = [];
afterAll(() => {
  // A failed assertion must not leave a sidecar running.
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const line = (i: number) => JSON.stringify({ request_id: `r${i}`, model: 'm', model_version: 'v', features: { x: i }, latency_ms: 5, status: 200 });

async function startRun(config: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--config', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, stderr: () => stderr };
}

async function requests(url: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /modelwatch_requests_total\{model="m",version="v",outcome="success",code="2xx"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('graceful shutdown and restart', () => {
  it('flushes the checkpoint on SIGTERM and resumes exactly where it stopped', async () => {
    const log = join(dir, 'requests.jsonl');
    const checkpoint = join(dir, 'offsets.json');
    writeFileSync(log, Array.from({ length: 100 }, (_, i) => line(i)).join('\n') + '\n');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        `server: { listen: "127.0.0.1:${port}" }`,
        'log: { level: warn }',
        // /metrics shows the newest durable snapshot, taken every interval.
        `checkpoint: { path: ${checkpoint}, interval: 200ms }`,
        'resources: { enabled: false }',
        'sources:',
        `  - { type: file, paths: [${log}], start_at: beginning, poll_interval: 50ms }`,
        '',
      ].join('\n'),
    );

    const first = await startRun(config);
    await waitFor('first 100 lines', async () => ((await requests(url)) === 100 ? true : undefined), 30_000, 100);
    appendFileSync(log, Array.from({ length: 50 }, (_, i) => line(100 + i)).join('\n') + '\n');
    await waitFor('150 lines', async () => ((await requests(url)) === 150 ? true : undefined), 30_000, 100);
    const stoppedAt = Date.now();
    first.child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => first.child.once('exit', (c) => r(c)));
    expect(code, first.stderr()).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    expect(existsSync(checkpoint)).toBe(true);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { files: { path: string; offset: number }[] };
    expect(saved.files.find((f) => f.path === log)?.offset).toBe(readFileSync(log).length);

    // While stopped, 25 more lines arrive; the restart reads exactly those, and the counter
    // continues from its last exposed value (150) rather than restarting at 0.
    appendFileSync(log, Array.from({ length: 25 }, (_, i) => line(150 + i)).join('\n') + '\n');
    const second = await startRun(config);
    await waitFor('the 25 new lines', async () => ((await requests(url)) === 175 ? true : undefined), 30_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    expect(await requests(url)).toBe(175);
    second.child.kill('SIGTERM');
    expect(await new Promise((r) => second.child.once('exit', (c) => r(c)))).toBe(0);
  });
});
