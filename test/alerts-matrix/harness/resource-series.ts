/**
 * The model server's container as the real resource collectors see it, step by step. Replay does not
 * run the collectors, so a fake host stands in for the kernel: a /proc with the model server's
 * processes and a cgroup v2 directory (the same files, in the kernel's format, that
 * test/fixtures/collectors holds), rewritten at every step from the scenario's timeline. The process
 * and cgroup collectors (src/collectors) read it through their runner, and the registry's
 * exposition at each step becomes series, with the target labels a scrape adds.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { CgroupCollector } from '../../../src/collectors/cgroup.js';
import { ProcessCollector } from '../../../src/collectors/process.js';
import { CollectorRunner } from '../../../src/collectors/runner.js';
import { TargetResolver } from '../../../src/collectors/target.js';
import { resourcesSchema } from '../../../src/config/resources-schema.js';
import type { Keep, SeriesSet } from './series.js';

/** What the container looks like at one step. */
export interface ContainerState {
  /** The model server's pid (a restart gives a new one). */
  pid: number;
  /** Its start, in clock ticks after boot. */
  startTicks: number;
  rssBytes: number;
  /** memory.current: resident memory plus page cache. */
  memoryCurrentBytes: number;
  memoryMaxBytes: number;
  oomKills: number;
  cpuSeconds: number;
}

const KIB = 1024;

class FakeHost {
  readonly proc: string;
  readonly cgroup: string;
  private lastPid: number | undefined;

  constructor(dir: string) {
    this.proc = join(dir, 'proc');
    const mount = join(dir, 'cgroup');
    this.cgroup = join(mount, 'kubepods', 'model-server');
    mkdirSync(join(this.proc, 'self'), { recursive: true });
    mkdirSync(this.cgroup, { recursive: true });
    writeFileSync(join(this.proc, 'self', 'mountinfo'), `41 31 0:38 / ${mount} rw,relatime - cgroup2 cgroup2 rw\n`);
    writeFileSync(join(this.proc, 'self', 'cgroup'), '0::/\n');
    writeFileSync(join(this.proc, 'stat'), 'cpu  39341 0 7360 86300 549 0 221 181 0 0\nbtime 1700000000\n');
  }

  write(s: ContainerState): void {
    if (this.lastPid !== undefined && this.lastPid !== s.pid) rmSync(join(this.proc, String(this.lastPid)), { recursive: true, force: true });
    this.lastPid = s.pid;
    const p = join(this.proc, String(s.pid));
    mkdirSync(join(p, 'fd'), { recursive: true });
    const ticks = Math.round(s.cpuSeconds * 100);
    // proc(5) stat: utime (14), stime (15), num_threads (20), starttime (22), vsize (23), rss pages (24).
    writeFileSync(join(p, 'stat'), `${s.pid} (python3) S 1 ${s.pid} ${s.pid} 0 -1 4194560 2512083 0 1120 0 ${ticks} ${Math.round(ticks / 8)} 0 0 20 0 24 0 ${s.startTicks} 17179869184 ${Math.round(s.rssBytes / 4096)} 18446744073709551615 0 0 0 0 0 0 0 16781312 134235391 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n`);
    writeFileSync(join(p, 'status'), `Name:\tpython3\nPid:\t${s.pid}\nPPid:\t1\nVmSize:\t16777216 kB\nVmRSS:\t${Math.round(s.rssBytes / KIB)} kB\nVmSwap:\t0 kB\nThreads:\t24\n`);
    writeFileSync(join(p, 'io'), 'rchar: 1000\nwchar: 1000\nsyscr: 10\nsyscw: 10\nread_bytes: 4096\nwrite_bytes: 4096\ncancelled_write_bytes: 0\n');
    writeFileSync(join(p, 'comm'), 'python3\n');
    writeFileSync(join(p, 'cmdline'), 'python3\0-m\0model_server\0');
    writeFileSync(join(this.cgroup, 'cgroup.procs'), `${s.pid}\n`);
    writeFileSync(join(this.cgroup, 'cpu.stat'), `usage_usec ${Math.round(s.cpuSeconds * 1e6)}\nuser_usec ${Math.round(s.cpuSeconds * 0.9e6)}\nsystem_usec ${Math.round(s.cpuSeconds * 0.1e6)}\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n`);
    writeFileSync(join(this.cgroup, 'memory.current'), `${s.memoryCurrentBytes}\n`);
    writeFileSync(join(this.cgroup, 'memory.max'), `${s.memoryMaxBytes}\n`);
    writeFileSync(join(this.cgroup, 'memory.events'), `low 0\nhigh 0\nmax 0\noom ${s.oomKills}\noom_kill ${s.oomKills}\noom_group_kill 0\n`);
  }
}

/** Runs the process and cgroup collectors at every step of `minutes`, the host as `state(minute)` says. */
export async function collectResources(set: SeriesSet, dir: string, target: Record<string, string>, minutes: number, state: (minute: number) => ContainerState, keep: Keep): Promise<void> {
  const host = new FakeHost(dir);
  const config = resourcesSchema.parse({ target: { name: 'model-server', cgroup: host.cgroup } });
  const registry = new Registry();
  const logger = pino({ level: 'silent' });
  const resolver = new TargetResolver(config.target, { logger, procRoot: host.proc, selfPid: -1 });
  const ctx = { registry, logger, target: resolver, config };
  const runner = new CollectorRunner({
    registry,
    logger,
    collectors: [
      { collector: new ProcessCollector(ctx, host.proc), intervalSeconds: set.stepSeconds },
      { collector: new CgroupCollector(ctx), intervalSeconds: set.stepSeconds },
    ],
  });
  for (let minute = 0; minute <= minutes; minute += set.stepSeconds / 60) {
    host.write(state(minute));
    await runner.runOnce();
    set.addText(await registry.metrics(), target, keep, set.origin + minute * 60);
  }
}
