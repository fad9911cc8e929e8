/**
 * mtail as the benches' peer: the same traffic metrics modelwatch's traffic analyzer computes, from
 * bench/mtail/modelwatch.mtail (anchored regexes over adjacent fields, as an mtail user writes them).
 * One-shot (bench:ingest) and live, tailing the log as a sidecar (bench:overhead, BENCH_MTAIL=1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build.js';
import { freePort } from './measure.js';

export const MTAIL = '/usr/bin/mtail';
export const MTAIL_PROGS = join(ROOT, 'bench', 'mtail');
export const mtailInstalled = (): boolean => existsSync(MTAIL);
export const MTAIL_MISSING = `${MTAIL} not found (Debian: apt-get install mtail)`;

/** The requests the program counted: the sum of modelwatch_requests_total in Prometheus text. */
export function countRequests(prometheusText: string): number {
  let total = 0;
  for (const line of prometheusText.split('\n')) if (line.startsWith('modelwatch_requests_total{')) total += Number(line.split(' ').at(-1));
  return total;
}

/** A process's CPU seconds so far, user + system, all threads (/proc/PID/stat's utime and stime, in clock ticks of 1/100 s). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces or parentheses: the fields after it start past its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A process's peak resident set, MiB (/proc/PID/status VmHWM). */
export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * mtail tailing `log` with its default poll intervals (250 ms) plus BENCH_MTAIL_ARGS, on a free
 * loopback port; resolves once its HTTP server answers, with its URL (/metrics under it).
 */
export async function startMtail(log: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const extra = (process.env.BENCH_MTAIL_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(MTAIL, ['-progs', MTAIL_PROGS, '-logs', log, '-logtostderr', '-address', '127.0.0.1', '-port', String(port), ...extra], { stdio: ['ignore', 'ignore', 'ignore'] });
  const url = `http://127.0.0.1:${port}`;
  const metricsUrl = `${url}/metrics`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`mtail exited (${child.exitCode}) before it answered on ${metricsUrl}`);
    try {
      await fetch(metricsUrl);
      return { child, url };
    } catch {
      if (tries > 200) throw new Error(`mtail did not answer on ${metricsUrl} within 20 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
