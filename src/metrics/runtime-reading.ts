/**
 * One reading of the sidecar's own process and Node runtime, taken once per scrape for all the
 * process_* and nodejs_* families (runtime-metrics.ts): /proc/self/status and /proc/self/fd are read
 * once, not once per family. Synchronous: /proc is served from kernel structures and never blocks
 * (Node's process.memoryUsage() reads it the same way), and a scrape then sees one instant.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics, type HeapInfo, type HeapSpaceInfo } from 'node:v8';
import { parseMaxOpenFiles, parseSelfStatus, type SelfStatus } from './proc-self-parse.js';

/** Node's private handle and request lists: still in Node 20 and 22, absent from its types. */
type ProcessInternals = { _getActiveHandles?(): object[]; _getActiveRequests?(): object[] };

export interface RuntimeReading {
  cpu: NodeJS.CpuUsage;
  status: SelfStatus;
  /** Undefined where /proc/self/fd cannot be listed (not Linux). */
  openFds?: number;
  /** V8's totals: what process.memoryUsage() reports as heapTotal, heapUsed, external, without its read of /proc/self/stat. */
  heap: HeapInfo;
  heapSpaces: HeapSpaceInfo[];
  /** Counts by type name, as prom-client groups them. */
  resources: Map<string, number>;
  handles: Map<string, number>;
  requests: Map<string, number>;
}

function countBy(names: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of names) out.set(n, (out.get(n) ?? 0) + 1);
  return out;
}

function* constructorNames(list: object[] | undefined): Iterable<string> {
  for (const o of list ?? []) if (o?.constructor !== undefined) yield o.constructor.name;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The open-file limit is read once: a process's own soft limit changes only if it sets it. */
let maxFds: number | undefined | null = null;
export function maxOpenFiles(): number | undefined {
  if (maxFds === null) {
    const limits = readText('/proc/self/limits');
    maxFds = limits === undefined ? undefined : parseMaxOpenFiles(limits);
  }
  return maxFds;
}

export function readRuntime(): RuntimeReading {
  const status = readText('/proc/self/status');
  let openFds: number | undefined;
  try {
    // Less the descriptor readdirSync itself held open while listing.
    openFds = readdirSync('/proc/self/fd').length - 1;
  } catch {
    openFds = undefined;
  }
  const internals = process as unknown as ProcessInternals;
  return {
    cpu: process.cpuUsage(),
    status: status === undefined ? {} : parseSelfStatus(status),
    openFds,
    heap: getHeapStatistics(),
    heapSpaces: getHeapSpaceStatistics(),
    resources: countBy(process.getActiveResourcesInfo()),
    handles: countBy(constructorNames(internals._getActiveHandles?.())),
    requests: countBy(constructorNames(internals._getActiveRequests?.())),
  };
}
