/**
 * Pure parsers for `nvidia-smi` output: `--query-gpu=... --format=csv,noheader,nounits`,
 * `--query-compute-apps=...` and `-L`. Values come back in nvidia-smi's units and are turned into
 * base units here: MiB → bytes, percent → ratio, MHz → hertz.
 *
 * nvidia-smi writes `[N/A]`, `[Not Supported]`, `[Unknown Error]`, `[GPU is lost]` and the like
 * where a value is not available (MIG-enabled GPUs report no utilization; many boards no power);
 * such a field becomes undefined and its series is left out, never zero.
 */

/** The --query-gpu fields, in the order parseNvidiaSmiGpus expects them. */
export const GPU_QUERY_FIELDS = [
  'index', 'uuid', 'name', 'utilization.gpu', 'utilization.memory', 'memory.used', 'memory.total',
  'temperature.gpu', 'power.draw', 'clocks.sm',
] as const;

/**
 * The --query-compute-apps fields. gpu_uuid is added to the pid and memory so that a process's
 * memory is attributed to its GPU; on a MIG-enabled GPU it is the parent GPU's UUID.
 */
export const APPS_QUERY_FIELDS = ['gpu_uuid', 'pid', 'used_memory'] as const;

const MIB = 1024 * 1024;

export interface GpuReading {
  /** nvidia-smi's index (PCI order unless CUDA_DEVICE_ORDER says otherwise): the `gpu` label. */
  index: string;
  uuid: string;
  name: string;
  utilizationRatio?: number;
  memoryUtilizationRatio?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  temperatureCelsius?: number;
  powerWatts?: number;
  smClockHertz?: number;
}

export interface ParsedRows<T> {
  rows: T[];
  /** Lines that were not rows (an error message nvidia-smi mixed into its output). */
  skipped: string[];
}

/** A field as a number, or undefined for [N/A] and any other non-numeric marker. */
export function numericField(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  // Tolerates output made without `nounits` ("1234 MiB", "45 %", "71.15 W").
  const text = raw.trim().replace(/\s*(MiB|%|W|MHz|C)$/, '');
  if (text === '' || text.startsWith('[') || /^n\/?a$/i.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function scaled(raw: string | undefined, factor: number): number | undefined {
  const n = numericField(raw);
  return n === undefined ? undefined : n * factor;
}

/** Percent to ratio by division: 41 / 100 is exactly 0.41, 41 * 0.01 is not. */
function ratio(raw: string | undefined): number | undefined {
  const n = numericField(raw);
  return n === undefined ? undefined : n / 100;
}

/** CSV cells; a name holding commas is rejoined (nvidia-smi does not quote). */
function cells(line: string, expected: number, textColumn: number): string[] | undefined {
  const parts = line.split(',').map((c) => c.trim());
  if (parts.length < expected) return undefined;
  const extra = parts.length - expected;
  if (extra > 0) parts.splice(textColumn, extra + 1, parts.slice(textColumn, textColumn + extra + 1).join(', '));
  return parts;
}

export function parseNvidiaSmiGpus(csv: string): ParsedRows<GpuReading> {
  const rows: GpuReading[] = [];
  const skipped: string[] = [];
  for (const line of csv.split('\n')) {
    if (!line.trim()) continue;
    const c = cells(line, GPU_QUERY_FIELDS.length, 2);
    if (!c || !/^\d+$/.test(c[0]) || !c[1].startsWith('GPU-')) {
      skipped.push(line.trim());
      continue;
    }
    const row: GpuReading = { index: c[0], uuid: c[1], name: c[2] };
    const set = <K extends keyof GpuReading>(key: K, value: GpuReading[K] | undefined): void => {
      if (value !== undefined) row[key] = value;
    };
    set('utilizationRatio', ratio(c[3]));
    set('memoryUtilizationRatio', ratio(c[4]));
    set('memoryUsedBytes', scaled(c[5], MIB));
    set('memoryTotalBytes', scaled(c[6], MIB));
    set('temperatureCelsius', numericField(c[7]));
    set('powerWatts', numericField(c[8]));
    set('smClockHertz', scaled(c[9], 1e6));
    rows.push(row);
  }
  return { rows, skipped };
}

export interface ComputeApp {
  gpuUuid: string;
  pid: number;
  /** Undefined where the driver cannot tell (`[N/A]`: WDDM, some vGPU and container setups). */
  usedBytes?: number;
}

export function parseNvidiaSmiApps(csv: string): ParsedRows<ComputeApp> {
  const rows: ComputeApp[] = [];
  const skipped: string[] = [];
  for (const line of csv.split('\n')) {
    if (!line.trim()) continue;
    const c = cells(line, APPS_QUERY_FIELDS.length, 0);
    const pid = c ? Number(c[1]) : NaN;
    if (!c || !c[0].startsWith('GPU-') || !Number.isInteger(pid)) {
      skipped.push(line.trim());
      continue;
    }
    const app: ComputeApp = { gpuUuid: c[0], pid };
    const used = scaled(c[2], MIB);
    if (used !== undefined) app.usedBytes = used;
    rows.push(app);
  }
  return { rows, skipped };
}

export interface ListedGpu {
  index: string;
  name: string;
  uuid: string;
  mig: { profile: string; device: string; uuid: string }[];
}

/**
 * `nvidia-smi -L`: "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-…)" lines, each followed by its MIG
 * devices ("  MIG 3g.40gb     Device  0: (UUID: MIG-…)") when MIG is enabled.
 */
export function parseNvidiaSmiList(text: string): ListedGpu[] {
  const out: ListedGpu[] = [];
  for (const line of text.split('\n')) {
    const gpu = /^GPU (\d+): (.*) \(UUID: ([^)]+)\)\s*$/.exec(line);
    if (gpu) {
      out.push({ index: gpu[1], name: gpu[2], uuid: gpu[3], mig: [] });
      continue;
    }
    const mig = /^\s+MIG\s+(\S+)\s+Device\s+(\d+):\s+\(UUID:\s*([^)]+)\)/.exec(line);
    if (mig && out.length > 0) out[out.length - 1].mig.push({ profile: mig[1], device: mig[2], uuid: mig[3] });
  }
  return out;
}
