/**
 * Which processes are "the model server". Configured by pid, pidfile, process-name pattern or cgroup;
 * re-resolved on every call so that a restarted model server is found again.
 *
 * Identity is (pid, start time in ticks): a pid the kernel reuses for another process is a new
 * target. When the identity changes the generation goes up, the change is logged once, and the
 * kernel counters read from the new process start over from zero: Prometheus sees a counter reset,
 * which rate() and increase() handle.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/log.js';
import type { ResourceTargetConfig } from '../config/resources-schema.js';
import { cgroupDirOfPid, resolveCgroupSpec } from './cgroup-locate.js';
import type { ProcStat } from './proc-parse.js';
import { descendantsOf, listProcesses, readCmdline, readStat } from './proc-read.js';

export type TargetKind = 'pid' | 'pidfile' | 'process_name' | 'cgroup';

export interface ResolvedTarget {
  name: string;
  kind: TargetKind;
  /** The process found by pid, pidfile or name; undefined for a cgroup target. */
  rootPid?: number;
  /** Start time of the root in clock ticks after boot. */
  rootStartTicks?: number;
  /** Processes whose figures are summed: the root (and its descendants), or all of the cgroup. */
  pids: number[];
  /** True when reaped children's CPU and I/O (cutime, and the parent's io) belong to the target. */
  includesChildren: boolean;
  /** Starts at 1; goes up when the root process is replaced (a restart). */
  generation: number;
}

export interface TargetResolverOptions {
  logger: Logger;
  procRoot?: string;
  /** Never matched by process_name (the sidecar's own command line may hold the pattern). */
  selfPid?: number;
}

interface Identity {
  pid: number;
  startTicks: number;
}

export class TargetResolver {
  readonly name: string;
  readonly kind: TargetKind | undefined;
  private readonly procRoot: string;
  private readonly selfPid: number;
  private readonly pattern: RegExp | undefined;
  private current: Identity | undefined;
  private generation = 0;
  private missingLogged = false;
  private ambiguityLogged = false;

  constructor(
    private readonly config: ResourceTargetConfig,
    private readonly options: TargetResolverOptions,
  ) {
    this.name = config.name;
    this.procRoot = options.procRoot ?? '/proc';
    this.selfPid = options.selfPid ?? process.pid;
    this.pattern = config.process_name === undefined ? undefined : new RegExp(config.process_name);
    this.kind =
      config.pid !== undefined ? 'pid'
      : config.pidfile !== undefined ? 'pidfile'
      : config.process_name !== undefined ? 'process_name'
      : config.cgroup !== undefined ? 'cgroup'
      : undefined;
  }

  /** False when no pid, pidfile, process_name or cgroup is configured. */
  get configured(): boolean {
    return this.kind !== undefined;
  }

  /** How many times the root process was replaced since start. */
  get restarts(): number {
    return Math.max(0, this.generation - 1);
  }

  /** The target's processes now, or undefined when it cannot be found (logged once per absence). */
  async resolve(): Promise<ResolvedTarget | undefined> {
    if (this.kind === undefined) return undefined;
    if (this.kind === 'cgroup') return this.resolveCgroup();
    const listing = this.kind === 'process_name' || this.config.include_children ? await listProcesses(this.procRoot) : undefined;
    const root = await this.findRoot(listing);
    if (!root) {
      this.noteMissing();
      return undefined;
    }
    this.noteFound(root);
    const pids = this.config.include_children && listing ? descendantsOf(root.pid, listing) : [root.pid];
    return {
      name: this.name,
      kind: this.kind,
      rootPid: root.pid,
      rootStartTicks: root.startTicks,
      pids,
      includesChildren: this.config.include_children,
      generation: this.generation,
    };
  }

  /** The cgroup v2 directory holding the target: configured, or the root process's own. */
  async cgroupDir(): Promise<string | undefined> {
    if (this.kind === 'cgroup') return resolveCgroupSpec(this.config.cgroup as string, { procRoot: this.procRoot });
    const target = await this.resolve();
    if (target?.rootPid === undefined) return undefined;
    return cgroupDirOfPid(target.rootPid, { procRoot: this.procRoot });
  }

  private async resolveCgroup(): Promise<ResolvedTarget | undefined> {
    const dir = await resolveCgroupSpec(this.config.cgroup as string, { procRoot: this.procRoot });
    const pids = await cgroupProcs(dir);
    if (pids.length === 0) {
      this.noteMissing();
      return undefined;
    }
    if (this.generation === 0) this.generation = 1;
    this.missingLogged = false;
    return { name: this.name, kind: 'cgroup', pids, includesChildren: true, generation: this.generation };
  }

  private async findRoot(listing: ProcStat[] | undefined): Promise<Identity | undefined> {
    switch (this.kind) {
      case 'pid':
        return this.alive(this.config.pid as number);
      case 'pidfile': {
        const pid = await this.readPidfile();
        return pid === undefined ? undefined : this.alive(pid);
      }
      case 'process_name':
        return this.findByName(listing ?? []);
      default:
        return undefined;
    }
  }

  private async alive(pid: number): Promise<Identity | undefined> {
    const stat = await readStat(this.procRoot, pid);
    // A zombie has exited: its figures no longer move, the next process should be looked for.
    if (!stat || stat.state === 'Z') return undefined;
    return { pid, startTicks: stat.startTimeTicks };
  }

  private async readPidfile(): Promise<number | undefined> {
    try {
      const pid = Number((await readFile(this.config.pidfile as string, 'utf8')).trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  private async findByName(listing: ProcStat[]): Promise<Identity | undefined> {
    const pattern = this.pattern as RegExp;
    // Keep the process found last time while it lives: no scan of every command line per run.
    const kept = this.current && listing.find((p) => p.pid === this.current?.pid && p.startTimeTicks === this.current.startTicks);
    if (kept && kept.state !== 'Z') return this.current;
    const matches: ProcStat[] = [];
    for (const p of listing) {
      if (p.pid === this.selfPid || p.state === 'Z') continue;
      if (pattern.test(p.comm)) matches.push(p);
      else {
        const cmdline = await readCmdline(this.procRoot, p.pid);
        if (cmdline && pattern.test(cmdline)) matches.push(p);
      }
    }
    // Workers forked from a matching master match too: the target is the top of each matching tree.
    const matched = new Set(matches.map((p) => p.pid));
    const roots = matches.filter((p) => !matched.has(p.ppid));
    roots.sort((a, b) => a.startTimeTicks - b.startTimeTicks || a.pid - b.pid);
    if (roots.length > 1 && !this.ambiguityLogged) {
      this.ambiguityLogged = true;
      this.options.logger.warn(
        { target: this.name, pattern: this.config.process_name, pids: roots.slice(0, 10).map((p) => p.pid), chosen: roots[0].pid },
        'several unrelated processes match the target pattern; using the oldest',
      );
    }
    return roots[0] ? { pid: roots[0].pid, startTicks: roots[0].startTimeTicks } : undefined;
  }

  private noteFound(root: Identity): void {
    this.missingLogged = false;
    const previous = this.current;
    if (previous && previous.pid === root.pid && previous.startTicks === root.startTicks) return;
    this.current = root;
    this.generation++;
    if (this.generation === 1) {
      this.options.logger.info({ target: this.name, pid: root.pid }, 'target process found');
    } else {
      this.options.logger.info(
        { target: this.name, pid: root.pid, previous_pid: previous?.pid, generation: this.generation },
        'target process restarted; its counters start over',
      );
    }
  }

  private noteMissing(): void {
    if (this.missingLogged) return;
    this.missingLogged = true;
    this.options.logger.warn(
      { target: this.name, kind: this.kind, last_pid: this.current?.pid },
      this.current ? 'target process gone; looking for it again' : 'target process not found; looking for it on every run',
    );
  }
}

/** Every pid in a cgroup and its descendant cgroups (a pod's processes live in its containers' cgroups). */
export async function cgroupProcs(dir: string, depth = 0): Promise<number[]> {
  const out: number[] = [];
  try {
    const text = await readFile(join(dir, 'cgroup.procs'), 'utf8');
    for (const line of text.split('\n')) if (line.trim()) out.push(Number(line));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (depth >= 8) return out;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...(await cgroupProcs(join(dir, entry.name), depth + 1)));
  }
  return out;
}
