/**
 * Pure parsers for cgroup v2 files (Documentation/admin-guide/cgroup-v2.rst) and for the two proc
 * files that locate a cgroup: /proc/PID/cgroup and /proc/self/mountinfo.
 */

/** `key value` lines (cpu.stat, memory.events, memory.stat) into a map of numbers. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value, extra] = line.trim().split(/\s+/);
    if (!key || value === undefined || extra !== undefined) continue;
    const n = Number(value);
    if (Number.isFinite(n)) out.set(key, n);
  }
  return out;
}

export interface CgroupCpuStat {
  usageSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /** The throttling fields exist only where the cpu controller is enabled for the cgroup. */
  periods?: number;
  throttledPeriods?: number;
  throttledSeconds?: number;
}

/** cpu.stat; its times are in microseconds. */
export function parseCgroupCpuStat(text: string): CgroupCpuStat {
  const kv = parseFlatKeyed(text);
  const usec = (key: string): number | undefined => {
    const v = kv.get(key);
    return v === undefined ? undefined : v / 1e6;
  };
  const usage = usec('usage_usec');
  if (usage === undefined) throw new Error('cpu.stat has no usage_usec');
  return {
    usageSeconds: usage,
    userSeconds: usec('user_usec') ?? 0,
    systemSeconds: usec('system_usec') ?? 0,
    periods: kv.get('nr_periods'),
    throttledPeriods: kv.get('nr_throttled'),
    throttledSeconds: usec('throttled_usec'),
  };
}

export interface MemoryEvents {
  low: number;
  high: number;
  max: number;
  oom: number;
  /** Processes killed by the OOM killer in this cgroup and below. */
  oomKill: number;
}

export function parseMemoryEvents(text: string): MemoryEvents {
  const kv = parseFlatKeyed(text);
  return {
    low: kv.get('low') ?? 0,
    high: kv.get('high') ?? 0,
    max: kv.get('max') ?? 0,
    oom: kv.get('oom') ?? 0,
    oomKill: kv.get('oom_kill') ?? 0,
  };
}

/** A single-value file (memory.current, memory.max): bytes, or undefined for the literal `max`. */
export function parseCgroupValue(text: string): number | undefined {
  const value = text.trim();
  if (value === 'max') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || value === '') throw new Error(`not a cgroup value: ${JSON.stringify(value)}`);
  return n;
}

/**
 * The unified-hierarchy line `0::/path` of /proc/PID/cgroup. Undefined on a v1-only host, where no
 * line has hierarchy id 0 and an empty controller list.
 */
export function parseCgroupV2Path(procCgroup: string): string | undefined {
  for (const line of procCgroup.split('\n')) {
    if (line.startsWith('0::')) return line.slice(3).trim();
  }
  return undefined;
}

export interface CgroupMount {
  /** Where the cgroup2 filesystem is mounted, e.g. /sys/fs/cgroup or /sys/fs/cgroup/unified (hybrid). */
  mountPoint: string;
  /** The hierarchy path the mount shows at its mount point ("/" unless bind-mounted from below). */
  root: string;
}

/**
 * The cgroup2 mount from /proc/self/mountinfo. Fields: id parent major:minor root mount-point
 * options [optional...] - fstype source super-options; octal escapes (\040) in paths are decoded.
 */
export function findCgroup2Mount(mountinfo: string): CgroupMount | undefined {
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fstype = line.slice(sep + 3).split(' ')[0];
    if (fstype !== 'cgroup2') continue;
    const fields = line.slice(0, sep).split(' ');
    return { root: unescapeMountPath(fields[3]), mountPoint: unescapeMountPath(fields[4]) };
  }
  return undefined;
}

function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
