/**
 * Pure parsers for the two /proc files the sidecar's own process metrics read (proc(5)); the reads
 * are in runtime-reading.ts, and the tests feed these inline strings.
 */

/** The sizes prom-client's process metrics report, in bytes. */
export interface SelfStatus {
  /** VmRSS: process_resident_memory_bytes. */
  residentBytes?: number;
  /** VmSize: process_virtual_memory_bytes. */
  virtualBytes?: number;
  /** VmData (data + heap segments, what prom-client named process_heap_bytes). */
  dataBytes?: number;
}

/** `Key:\tvalue kB` lines of /proc/self/status; the sizes are in KiB whatever the suffix says. */
export function parseSelfStatus(text: string): SelfStatus {
  const out: SelfStatus = {};
  // Each key appears once, in a fixed place: three searches instead of splitting ~55 lines.
  const kib = (key: string): number | undefined => {
    const at = text.indexOf(`\n${key}:`);
    if (at < 0) return undefined;
    const m = /^\s*(\d+)/.exec(text.slice(at + key.length + 2, at + key.length + 40));
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const rss = kib('VmRSS');
  const size = kib('VmSize');
  const data = kib('VmData');
  if (rss !== undefined) out.residentBytes = rss;
  if (size !== undefined) out.virtualBytes = size;
  if (data !== undefined) out.dataBytes = data;
  return out;
}

/**
 * The soft limit on open files from /proc/self/limits (`Max open files  1024  1048576  files`);
 * undefined when absent or `unlimited`.
 */
export function parseMaxOpenFiles(text: string): number | undefined {
  const m = /^Max open files\s+(\d+)\s/m.exec(text);
  return m ? Number(m[1]) : undefined;
}
