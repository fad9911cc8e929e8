/**
 * Reads /proc for the process collector and the target resolver. A process can exit between any two
 * reads, so every reader answers `undefined` for a vanished pid instead of throwing; a file the
 * sidecar may not read (another user's /proc/PID/io or fd/) is reported as such, not as an error.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseProcIo, parseProcStat, parseProcStatus, type ProcIo, type ProcStat, type ProcStatus } from './proc-parse.js';

export interface ProcessSample {
  stat: ProcStat;
  status: ProcStatus;
  /** Undefined where /proc/PID/io is not readable (another user without CAP_SYS_PTRACE). */
  io?: ProcIo;
  /** Undefined where /proc/PID/fd is not readable. */
  openFds?: number;
}

function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  // ESRCH: the process exited while its /proc directory was open.
  return code === 'ENOENT' || code === 'ESRCH';
}

function isDenied(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM';
}

/** The file's text, or undefined when the process is gone. */
export async function readProcFile(procRoot: string, pid: number, file: string): Promise<string | undefined> {
  try {
    return await readFile(join(procRoot, String(pid), file), 'utf8');
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
}

export async function readStat(procRoot: string, pid: number): Promise<ProcStat | undefined> {
  const text = await readProcFile(procRoot, pid, 'stat');
  return text === undefined ? undefined : parseProcStat(text);
}

async function readOptional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isGone(err) || isDenied(err)) return undefined;
    throw err;
  }
}

export async function countOpenFds(procRoot: string, pid: number): Promise<number> {
  return (await readdir(join(procRoot, String(pid), 'fd'))).length;
}

/** stat, status, io and fd count of one process; undefined when it exited meanwhile. */
export async function readProcess(procRoot: string, pid: number): Promise<ProcessSample | undefined> {
  const stat = await readStat(procRoot, pid);
  if (!stat) return undefined;
  const statusText = await readProcFile(procRoot, pid, 'status');
  if (statusText === undefined) return undefined;
  const io = await readOptional(async () => parseProcIo(await readFile(join(procRoot, String(pid), 'io'), 'utf8')));
  const openFds = await readOptional(() => countOpenFds(procRoot, pid));
  return { stat, status: parseProcStatus(statusText), io, openFds };
}

/** Every pid under procRoot with its stat line; processes that exit during the walk are left out. */
export async function listProcesses(procRoot: string): Promise<ProcStat[]> {
  const names = await readdir(procRoot);
  const out: ProcStat[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readOptional(() => readStat(procRoot, Number(name)));
    if (stat) out.push(stat);
  }
  return out;
}

/** The pid and all its descendants, found through the ppid links of a process listing. */
export function descendantsOf(rootPid: number, processes: readonly ProcStat[]): number[] {
  const children = new Map<number, number[]>();
  for (const p of processes) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const out: number[] = [];
  const queue = [rootPid];
  const seen = new Set<number>(queue);
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    out.push(pid);
    for (const child of children.get(pid) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** /proc/PID/cmdline with NULs as spaces (arguments holding spaces become ambiguous; fine for matching). */
export async function readCmdline(procRoot: string, pid: number): Promise<string | undefined> {
  const text = await readOptional(() => readProcFile(procRoot, pid, 'cmdline'));
  return text?.replace(/\0+$/, '').replace(/\0/g, ' ');
}
