/**
 * Shared by the benches: run a command under /usr/bin/time and read back its wall time, CPU time and
 * peak RSS, so modelwatch and its peers are measured by the same outside observer (startup included).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  wallSeconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
  stdout: string;
}

export function measure(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-'));
  const out = join(dir, 'time');
  try {
    const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out, command, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env });
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
    const [wall, user, sys, rssKiB] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    return { wallSeconds: wall, cpuSeconds: user + sys, maxRssMiB: rssKiB / 1024, stdout: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  fixed: (n: number, digits = 2) => n.toFixed(digits),
};

/**
 * `run(i)` for each of `count` trees, `rounds` times, the order rotating each round (a before/after
 * shares the machine's load alike): each tree's results, in round order.
 */
export function interleaved<T>(count: number, rounds: number, run: (i: number) => T): T[][] {
  const results = Array.from({ length: count }, () => [] as T[]);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < count; k++) {
      const i = (k + r) % count;
      results[i].push(run(i));
    }
  }
  return results;
}

/** A bench script's child run (`node [nodeArgs] --import tsx bench/SCRIPT child root`, from the repository root): its last stdout line, parsed. */
export function childResult<T>(script: string, root: string, nodeArgs: readonly string[], env: NodeJS.ProcessEnv): T {
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', script, 'child', root], { cwd: join(script, '..', '..'), encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`child for ${root} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

/** A free loopback port for a bench's server (mtail, modelwatch). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
