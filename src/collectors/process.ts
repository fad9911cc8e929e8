/**
 * The model server's processes as the kernel accounts them (/proc/PID/{stat,status,io,fd}): CPU
 * seconds, memory, open fds, threads, I/O bytes, summed over the target's process set.
 *
 * With children included, CPU and I/O add each member's reaped children (cutime/cstime; the kernel
 * folds a reaped child's io into its parent's), so a worker that exits does not take its past CPU
 * time out of the total. RSS is summed too, which overcounts pages that forked workers share.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Counter, Gauge } from '../core/prom-client.js';
import type { Collector, CollectorContext, CollectorFactory } from './collector.js';
import { MonotonicTotal, setCounter } from './kernel-counter.js';
import { parseBootTime } from './proc-parse.js';
import { readProcess, type ProcessSample } from './proc-read.js';
import type { ResolvedTarget } from './target.js';

/** USER_HZ: fixed at 100 on every Linux architecture userspace sees (getconf CLK_TCK). */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessTotals {
  processes: number;
  userSeconds: number;
  systemSeconds: number;
  rssBytes: number;
  vmsBytes: number;
  swapBytes: number;
  threads: number;
  openFds?: number;
  io?: { readBytes: number; writeBytes: number; readChars: number; writeChars: number };
}

/** Pure: the sums over a set of samples. */
export function sumSamples(samples: readonly ProcessSample[], includeChildren: boolean): ProcessTotals {
  const t: ProcessTotals = { processes: samples.length, userSeconds: 0, systemSeconds: 0, rssBytes: 0, vmsBytes: 0, swapBytes: 0, threads: 0 };
  let fds = 0;
  let fdsKnown = samples.length > 0;
  let io = { readBytes: 0, writeBytes: 0, readChars: 0, writeChars: 0 };
  let ioKnown = samples.length > 0;
  // Whole ticks are summed and divided once: 29 / 100 is 0.29, 0.2 + 0.09 is not.
  let userTicks = 0;
  let systemTicks = 0;
  for (const { stat, status, io: pio, openFds } of samples) {
    userTicks += stat.utimeTicks + (includeChildren ? stat.cutimeTicks : 0);
    systemTicks += stat.stimeTicks + (includeChildren ? stat.cstimeTicks : 0);
    t.rssBytes += status.vmRssBytes ?? 0;
    t.vmsBytes += status.vmSizeBytes ?? stat.vsizeBytes;
    t.swapBytes += status.vmSwapBytes ?? 0;
    t.threads += status.threads ?? stat.numThreads;
    if (openFds === undefined) fdsKnown = false;
    else fds += openFds;
    if (pio === undefined) ioKnown = false;
    else io = { readBytes: io.readBytes + pio.readBytes, writeBytes: io.writeBytes + pio.writeBytes, readChars: io.readChars + pio.rchar, writeChars: io.writeChars + pio.wchar };
  }
  t.userSeconds = userTicks / CLOCK_TICKS_PER_SECOND;
  t.systemSeconds = systemTicks / CLOCK_TICKS_PER_SECOND;
  if (fdsKnown) t.openFds = fds;
  if (ioKnown) t.io = io;
  return t;
}

class ProcessCollector implements Collector {
  readonly name = 'process';
  private readonly labels: { target: string };
  private readonly up: Gauge<'target'>;
  private readonly restarts: Counter<'target'>;
  private readonly processes: Gauge<'target'>;
  private readonly startTime: Gauge<'target'>;
  private readonly cpu: Counter<'target' | 'mode'>;
  private readonly memory: Gauge<'target' | 'kind'>;
  private readonly fds: Gauge<'target'>;
  private readonly threads: Gauge<'target'>;
  private readonly ioBytes: Counter<'target' | 'direction'>;
  private readonly ioChars: Counter<'target' | 'direction'>;
  private readonly totals = new Map<string, MonotonicTotal>();
  private bootTime: number | undefined;
  private permissionLogged = false;

  constructor(private readonly ctx: CollectorContext, private readonly procRoot = '/proc') {
    const registers = [ctx.registry];
    const target = ['target'] as const;
    this.labels = { target: ctx.target.name };
    this.up = new Gauge({ name: 'modelwatch_target_up', help: '1 when the target process (or a process of its cgroup) was found on the last run.', labelNames: target, registers });
    this.restarts = new Counter({ name: 'modelwatch_target_restarts_total', help: 'Times the target process was replaced by a new one (pid or start time changed).', labelNames: target, registers });
    this.processes = new Gauge({ name: 'modelwatch_target_processes', help: 'Processes counted into the target figures (the target and, when configured, its descendants).', labelNames: target, registers });
    this.startTime = new Gauge({ name: 'modelwatch_target_start_time_seconds', help: 'Start time of the target process, seconds since the Unix epoch.', labelNames: target, registers });
    this.cpu = new Counter({ name: 'modelwatch_target_cpu_seconds_total', help: 'CPU time of the target processes by mode (user, system); restarts with the target.', labelNames: ['target', 'mode'], registers });
    this.memory = new Gauge({ name: 'modelwatch_target_memory_bytes', help: 'Memory of the target processes by kind: rss (resident), vms (virtual size), swap.', labelNames: ['target', 'kind'], registers });
    this.fds = new Gauge({ name: 'modelwatch_target_open_fds', help: 'Open file descriptors of the target processes.', labelNames: target, registers });
    this.threads = new Gauge({ name: 'modelwatch_target_threads', help: 'Threads of the target processes.', labelNames: target, registers });
    this.ioBytes = new Counter({ name: 'modelwatch_target_io_bytes_total', help: 'Bytes the target processes caused to be read from or written to storage (/proc/PID/io read_bytes, write_bytes).', labelNames: ['target', 'direction'], registers });
    this.ioChars = new Counter({ name: 'modelwatch_target_io_chars_total', help: 'Bytes passed through read/write syscalls by the target processes, sockets and page cache included (/proc/PID/io rchar, wchar).', labelNames: ['target', 'direction'], registers });
  }

  async collect(): Promise<void> {
    const target = await this.ctx.target.resolve();
    if (!target) {
      this.clear();
      this.up.set(this.labels, 0);
      return;
    }
    const samples: ProcessSample[] = [];
    for (const pid of target.pids) {
      const sample = await readProcess(this.procRoot, pid);
      if (sample) samples.push(sample);
    }
    if (samples.length === 0) {
      this.clear();
      this.up.set(this.labels, 0);
      return;
    }
    this.publish(target, sumSamples(samples, target.includesChildren));
    await this.publishStartTime(target);
  }

  private publish(target: ResolvedTarget, t: ProcessTotals): void {
    const l = this.labels;
    this.up.set(l, 1);
    setCounter(this.restarts, l, this.ctx.target.restarts);
    this.processes.set(l, t.processes);
    setCounter(this.cpu, { ...l, mode: 'user' }, this.monotonic('user', target, t.userSeconds));
    setCounter(this.cpu, { ...l, mode: 'system' }, this.monotonic('system', target, t.systemSeconds));
    this.memory.set({ ...l, kind: 'rss' }, t.rssBytes);
    this.memory.set({ ...l, kind: 'vms' }, t.vmsBytes);
    this.memory.set({ ...l, kind: 'swap' }, t.swapBytes);
    this.threads.set(l, t.threads);
    if (t.openFds === undefined) this.fds.remove(l);
    else this.fds.set(l, t.openFds);
    if (t.io) {
      setCounter(this.ioBytes, { ...l, direction: 'read' }, this.monotonic('read_bytes', target, t.io.readBytes));
      setCounter(this.ioBytes, { ...l, direction: 'write' }, this.monotonic('write_bytes', target, t.io.writeBytes));
      setCounter(this.ioChars, { ...l, direction: 'read' }, this.monotonic('rchar', target, t.io.readChars));
      setCounter(this.ioChars, { ...l, direction: 'write' }, this.monotonic('wchar', target, t.io.writeChars));
    } else {
      this.ioBytes.reset();
      this.ioChars.reset();
    }
    if ((t.io === undefined || t.openFds === undefined) && !this.permissionLogged) {
      this.permissionLogged = true;
      this.ctx.logger.warn(
        { collector: this.name, target: this.ctx.target.name },
        'cannot read /proc/PID/io or /proc/PID/fd of the target (another user; needs the same uid or CAP_SYS_PTRACE): I/O and fd series left out',
      );
    }
  }

  private async publishStartTime(target: ResolvedTarget): Promise<void> {
    if (target.rootStartTicks === undefined) {
      this.startTime.remove(this.labels);
      return;
    }
    this.bootTime ??= parseBootTime(await readFile(join(this.procRoot, 'stat'), 'utf8'));
    this.startTime.set(this.labels, this.bootTime + target.rootStartTicks / CLOCK_TICKS_PER_SECOND);
  }

  private monotonic(key: string, target: ResolvedTarget, total: number): number {
    let m = this.totals.get(key);
    if (!m) this.totals.set(key, (m = new MonotonicTotal()));
    return m.update(target.generation, total);
  }

  /** A target that is gone has no figures: stale values would read as a live, idle server. */
  private clear(): void {
    for (const metric of [this.processes, this.startTime, this.fds, this.threads]) metric.remove(this.labels);
    this.memory.reset();
    this.cpu.reset();
    this.ioBytes.reset();
    this.ioChars.reset();
  }
}

export const processCollector: CollectorFactory = {
  name: 'process',
  defaultEnabled: true,
  enabled: (config) => config.enabled && config.process.enabled && hasTarget(config),
  interval: (config) => config.interval,
  create: (ctx) => new ProcessCollector(ctx),
};

export function hasTarget(config: CollectorContext['config']): boolean {
  const t = config.target;
  return t.pid !== undefined || t.pidfile !== undefined || t.process_name !== undefined || t.cgroup !== undefined;
}

export { ProcessCollector };
