/**
 * Durations and sizes as people write them in YAML ("250ms", "5m", "10MiB"), resolved to base units.
 */
import * as z from 'zod';

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  return m ? Number(m[1]) * DURATION_UNITS[m[2]] : undefined;
}

export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * SIZE_UNITS[m[2]]) : undefined;
}

/** Seconds: a number of seconds, or a string such as "250ms", "15s", "5m", "1h", "7d". */
export const duration = z
  .union([z.number().nonnegative(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const s = parseDuration(v);
    if (s === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as "500ms", "15s", "5m" or "1h", got "${v}"` });
      return z.NEVER;
    }
    return s;
  });

/** Bytes: a number, or a string such as "64KiB", "10MiB". */
export const size = z
  .union([z.number().int().positive(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const b = parseSize(v);
    if (b === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a size such as "64KiB" or "10MiB", got "${v}"` });
      return z.NEVER;
    }
    return b;
  });

/** Formats seconds back the way people write them ("15s", "5m", "1h"): used for `window` label values. */
export function formatDuration(seconds: number): string {
  if (seconds >= 86400 && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  if (seconds >= 1 && Number.isInteger(seconds)) return `${seconds}s`;
  return `${Math.round(seconds * 1000)}ms`;
}
