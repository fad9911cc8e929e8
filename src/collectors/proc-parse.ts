/**
 * Pure parsers for /proc/PID/{stat,status,io} and /proc/stat (proc(5)). No I/O here: proc-read.ts
 * reads the files, these turn their text into numbers, and the tests feed them inline strings.
 */

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Clock ticks (USER_HZ) in user mode, this process only. */
  utimeTicks: number;
  stimeTicks: number;
  /** Ticks of waited-for (reaped) children: where a dead worker's CPU time ends up. */
  cutimeTicks: number;
  cstimeTicks: number;
  numThreads: number;
  /** Ticks after boot at which the process started: with the pid, its identity across pid reuse. */
  startTimeTicks: number;
  vsizeBytes: number;
  rssPages: number;
}

/**
 * `comm` sits in parentheses and may itself hold spaces and parentheses ("(sd-pam)", "(my (odd) name)"),
 * so the fields are split after the LAST ')' as proc(5) advises.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/PID/stat line: ${JSON.stringify(text.slice(0, 80))}`);
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // After ')' the fields start at proc(5) field 3 (state); rest[i] is field i + 3.
  const rest = text.slice(close + 1).trim().split(/\s+/);
  if (rest.length < 22) throw new Error(`/proc/PID/stat has ${rest.length + 2} fields, expected at least 24`);
  const field = (n: number): number => Number(rest[n - 3]);
  return {
    pid,
    comm,
    state: rest[0],
    ppid: field(4),
    utimeTicks: field(14),
    stimeTicks: field(15),
    cutimeTicks: field(16),
    cstimeTicks: field(17),
    numThreads: field(20),
    startTimeTicks: field(22),
    vsizeBytes: field(23),
    rssPages: field(24),
  };
}

export interface ProcStatus {
  name?: string;
  /** Absent for kernel threads and zombies, which have no address space. */
  vmRssBytes?: number;
  vmSizeBytes?: number;
  vmSwapBytes?: number;
  threads?: number;
}

/** `Key:\tvalue kB` lines; sizes are in KiB whatever the suffix says. */
export function parseProcStatus(text: string): ProcStatus {
  const out: ProcStatus = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    switch (key) {
      case 'Name':
        out.name = value;
        break;
      case 'VmRSS':
        out.vmRssBytes = kib(value);
        break;
      case 'VmSize':
        out.vmSizeBytes = kib(value);
        break;
      case 'VmSwap':
        out.vmSwapBytes = kib(value);
        break;
      case 'Threads':
        out.threads = Number(value);
        break;
    }
  }
  return out;
}

function kib(value: string): number {
  return Number(value.split(/\s+/)[0]) * 1024;
}

export interface ProcIo {
  /** Bytes passed to read()/write()-like syscalls: files, pipes, sockets, page cache hits included. */
  rchar: number;
  wchar: number;
  /** Bytes the process caused to be fetched from / sent to the storage layer. */
  readBytes: number;
  writeBytes: number;
  /** Bytes written then truncated away before reaching storage. */
  cancelledWriteBytes: number;
}

export function parseProcIo(text: string): ProcIo {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) values.set(m[1], Number(m[2]));
  }
  const get = (key: string): number => {
    const v = values.get(key);
    if (v === undefined) throw new Error(`/proc/PID/io has no ${key}`);
    return v;
  };
  return {
    rchar: get('rchar'),
    wchar: get('wchar'),
    readBytes: get('read_bytes'),
    writeBytes: get('write_bytes'),
    cancelledWriteBytes: values.get('cancelled_write_bytes') ?? 0,
  };
}

/** `btime` from /proc/stat: boot time in seconds since the epoch, to turn start ticks into a date. */
export function parseBootTime(procStat: string): number {
  const m = /^btime\s+(\d+)$/m.exec(procStat);
  if (!m) throw new Error('/proc/stat has no btime line');
  return Number(m[1]);
}
