/**
 * The model server's container as its cgroup v2 accounts it: CPU usage and throttling (cpu.stat),
 * memory use and limit (memory.current, memory.max) and OOM kills (memory.events). A file whose
 * controller is not enabled for the cgroup (no memory.current where `memory` is not delegated) is
 * left out and logged once; that is configuration, not a failed collection.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Counter, Gauge } from '../core/prom-client.js';
import type { Collector, CollectorContext, CollectorFactory } from './collector.js';
import { parseCgroupCpuStat, parseCgroupValue, parseMemoryEvents, type CgroupCpuStat, type MemoryEvents } from './cgroup-parse.js';
import { setCounter } from './kernel-counter.js';
import { hasTarget } from './process.js';

export interface CgroupReading {
  dir: string;
  cpu?: CgroupCpuStat;
  memoryCurrent?: number;
  /** Undefined both when memory.max is `max` (no limit) and when the file is absent. */
  memoryMax?: number;
  memoryEvents?: MemoryEvents;
  /** Files not present in the directory (controller not enabled there). */
  missing: string[];
}

async function readIfPresent(dir: string, file: string, missing: string[]): Promise<string | undefined> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    missing.push(file);
    return undefined;
  }
}

/** Reads the files of one cgroup directory. */
export async function readCgroup(dir: string): Promise<CgroupReading> {
  const missing: string[] = [];
  const cpu = await readIfPresent(dir, 'cpu.stat', missing);
  const current = await readIfPresent(dir, 'memory.current', missing);
  const max = await readIfPresent(dir, 'memory.max', missing);
  const events = await readIfPresent(dir, 'memory.events', missing);
  return {
    dir,
    cpu: cpu === undefined ? undefined : parseCgroupCpuStat(cpu),
    memoryCurrent: current === undefined ? undefined : parseCgroupValue(current),
    memoryMax: max === undefined ? undefined : parseCgroupValue(max),
    memoryEvents: events === undefined ? undefined : parseMemoryEvents(events),
    missing,
  };
}

class CgroupCollector implements Collector {
  readonly name = 'cgroup';
  private readonly cpu: Counter<'target' | 'mode'>;
  private readonly throttled: Counter<'target'>;
  private readonly periods: Counter<'target'>;
  private readonly throttledPeriods: Counter<'target'>;
  private readonly memoryUsage: Gauge<'target'>;
  private readonly memoryLimit: Gauge<'target'>;
  private readonly oomKills: Counter<'target'>;
  private readonly loggedMissing = new Set<string>();

  constructor(private readonly ctx: CollectorContext) {
    const registers = [ctx.registry];
    const labelNames = ['target'] as const;
    this.cpu = new Counter({ name: 'modelwatch_target_cgroup_cpu_seconds_total', help: 'CPU time of the target cgroup by mode (user, system), from cpu.stat.', labelNames: ['target', 'mode'], registers });
    this.throttled = new Counter({ name: 'modelwatch_target_cpu_throttled_seconds_total', help: 'Time the target cgroup was throttled by its CPU limit (cpu.stat throttled_usec).', labelNames, registers });
    this.periods = new Counter({ name: 'modelwatch_target_cpu_periods_total', help: 'Enforcement periods of the CPU limit that elapsed with the cgroup runnable (cpu.stat nr_periods).', labelNames, registers });
    this.throttledPeriods = new Counter({ name: 'modelwatch_target_cpu_throttled_periods_total', help: 'Enforcement periods in which the cgroup was throttled (cpu.stat nr_throttled).', labelNames, registers });
    this.memoryUsage = new Gauge({ name: 'modelwatch_target_cgroup_memory_usage_bytes', help: 'Memory charged to the target cgroup, page cache included (memory.current).', labelNames, registers });
    this.memoryLimit = new Gauge({ name: 'modelwatch_target_cgroup_memory_limit_bytes', help: 'Memory limit of the target cgroup (memory.max); absent when unlimited.', labelNames, registers });
    this.oomKills = new Counter({ name: 'modelwatch_target_oom_kills_total', help: 'Processes of the target cgroup killed by the OOM killer (memory.events oom_kill).', labelNames, registers });
  }

  async collect(): Promise<void> {
    const dir = await this.ctx.target.cgroupDir();
    const l = { target: this.ctx.target.name };
    if (dir === undefined) {
      this.clear();
      return;
    }
    const r = await readCgroup(dir);
    this.logMissing(r);
    if (r.cpu) {
      setCounter(this.cpu, { ...l, mode: 'user' }, r.cpu.userSeconds);
      setCounter(this.cpu, { ...l, mode: 'system' }, r.cpu.systemSeconds);
    } else this.cpu.reset();
    setOrRemove(this.throttled, l, r.cpu?.throttledSeconds);
    setOrRemove(this.periods, l, r.cpu?.periods);
    setOrRemove(this.throttledPeriods, l, r.cpu?.throttledPeriods);
    if (r.memoryCurrent === undefined) this.memoryUsage.remove(l);
    else this.memoryUsage.set(l, r.memoryCurrent);
    if (r.memoryMax === undefined) this.memoryLimit.remove(l);
    else this.memoryLimit.set(l, r.memoryMax);
    setOrRemove(this.oomKills, l, r.memoryEvents?.oomKill);
  }

  private logMissing(r: CgroupReading): void {
    const fresh = r.missing.filter((f) => !this.loggedMissing.has(`${r.dir}/${f}`));
    if (fresh.length === 0) return;
    for (const f of fresh) this.loggedMissing.add(`${r.dir}/${f}`);
    this.ctx.logger.warn(
      { collector: this.name, target: this.ctx.target.name, cgroup: r.dir, missing: fresh },
      'cgroup files missing (their controller is not enabled for this cgroup, or it is the root cgroup): those series are left out',
    );
  }

  private clear(): void {
    for (const c of [this.cpu, this.throttled, this.periods, this.throttledPeriods, this.oomKills]) c.reset();
    this.memoryUsage.reset();
    this.memoryLimit.reset();
  }
}

function setOrRemove(counter: Counter<'target'>, labels: { target: string }, value: number | undefined): void {
  if (value === undefined) counter.remove(labels);
  else setCounter(counter, labels, value);
}

export const cgroupCollector: CollectorFactory = {
  name: 'cgroup',
  defaultEnabled: true,
  enabled: (config) => config.enabled && config.cgroup.enabled && hasTarget(config),
  interval: (config) => config.interval,
  create: (ctx) => new CgroupCollector(ctx),
};

export { CgroupCollector };
