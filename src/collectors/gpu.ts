/**
 * GPUs through nvidia-smi: per-GPU utilization, memory, temperature, power and SM clock, and the
 * GPU memory held by the target's own processes (--query-compute-apps matched on pid).
 *
 * No nvidia-smi on the machine is a normal state (a CPU-only model server): modelwatch_gpu_available
 * is 0, it is logged once, and the collection counts as successful. A call that fails or hangs is a
 * failed collection (modelwatch_collector_success 0) and the GPU series are dropped rather than left
 * at stale values. All series of one run are replaced together, after every await, so a scrape
 * never sees half a run.
 */
import { Gauge } from '../core/prom-client.js';
import type { Collector, CollectorContext, CollectorFactory } from './collector.js';
import { nvidiaSmiOutput, NvidiaSmiError } from './nvidia-smi.js';
import {
  APPS_QUERY_FIELDS, GPU_QUERY_FIELDS, parseNvidiaSmiApps, parseNvidiaSmiGpus, parseNvidiaSmiList,
  type ComputeApp, type GpuReading, type ListedGpu,
} from './nvidia-smi-parse.js';

export const GPU_QUERY_ARGS = [`--query-gpu=${GPU_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
export const APPS_QUERY_ARGS = [`--query-compute-apps=${APPS_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
export const LIST_ARGS = ['-L'];

type GpuLabel = 'gpu' | 'uuid' | 'name';

interface GpuRun {
  gpus: GpuReading[];
  apps?: ComputeApp[];
  list?: ListedGpu[];
  targetPids?: Set<number>;
  problems: string[];
}

class GpuCollector implements Collector {
  readonly name = 'gpu';
  private readonly available: Gauge;
  private readonly perGpu: Record<'utilization' | 'memoryUtilization' | 'memoryUsed' | 'memoryTotal' | 'temperature' | 'power' | 'smClock' | 'migDevices', Gauge<GpuLabel>>;
  private readonly targetMemory: Gauge<'target' | 'gpu'>;
  private missingLogged = false;

  constructor(private readonly ctx: CollectorContext) {
    const registers = [ctx.registry];
    const labelNames = ['gpu', 'uuid', 'name'] as const;
    const gauge = (name: string, help: string): Gauge<GpuLabel> => new Gauge({ name, help, labelNames, registers });
    this.available = new Gauge({ name: 'modelwatch_gpu_available', help: '1 when nvidia-smi answered on the last run, 0 when it is missing or failed.', registers });
    this.perGpu = {
      utilization: gauge('modelwatch_gpu_utilization_ratio', 'Fraction of the last sample period in which a kernel ran on the GPU (absent on MIG-enabled GPUs).'),
      memoryUtilization: gauge('modelwatch_gpu_memory_utilization_ratio', 'Fraction of the last sample period in which GPU memory was read or written.'),
      memoryUsed: gauge('modelwatch_gpu_memory_used_bytes', 'GPU memory allocated by all processes on the GPU.'),
      memoryTotal: gauge('modelwatch_gpu_memory_total_bytes', 'GPU memory in total.'),
      temperature: gauge('modelwatch_gpu_temperature_celsius', 'GPU core temperature.'),
      power: gauge('modelwatch_gpu_power_watts', 'GPU power draw.'),
      smClock: gauge('modelwatch_gpu_sm_clock_hertz', 'Current SM clock.'),
      migDevices: gauge('modelwatch_gpu_mig_devices', 'MIG devices configured on the GPU (0 when MIG is disabled).'),
    };
    this.targetMemory = new Gauge({ name: 'modelwatch_target_gpu_memory_bytes', help: "GPU memory used by the target's processes, per GPU (a MIG instance's use counts to its parent GPU).", labelNames: ['target', 'gpu'], registers });
  }

  async collect(): Promise<void> {
    const { nvidia_smi: binary, timeout } = this.ctx.config.gpu;
    let gpuCsv: string;
    try {
      gpuCsv = await nvidiaSmiOutput(binary, GPU_QUERY_ARGS, timeout);
    } catch (err) {
      this.clear();
      if (err instanceof NvidiaSmiError && err.reason === 'missing') {
        if (!this.missingLogged) {
          this.missingLogged = true;
          this.ctx.logger.info({ collector: this.name, nvidia_smi: binary }, 'nvidia-smi not found: no GPU metrics (modelwatch_gpu_available 0)');
        }
        return;
      }
      throw err;
    }
    const parsed = parseNvidiaSmiGpus(gpuCsv);
    const run: GpuRun = { gpus: parsed.rows, problems: parsed.skipped.map((l) => `unparsed --query-gpu line: ${l}`) };
    const [apps, list, target] = await Promise.allSettled([
      nvidiaSmiOutput(binary, APPS_QUERY_ARGS, timeout),
      nvidiaSmiOutput(binary, LIST_ARGS, timeout),
      this.ctx.target.configured ? this.ctx.target.resolve() : Promise.resolve(undefined),
    ]);
    if (apps.status === 'fulfilled') run.apps = parseNvidiaSmiApps(apps.value).rows;
    else run.problems.push(String(apps.reason instanceof Error ? apps.reason.message : apps.reason));
    if (list.status === 'fulfilled') run.list = parseNvidiaSmiList(list.value);
    else run.problems.push(String(list.reason instanceof Error ? list.reason.message : list.reason));
    if (target.status === 'fulfilled' && target.value) run.targetPids = new Set(target.value.pids);
    else if (target.status === 'rejected') run.problems.push(`target: ${String(target.reason)}`);
    this.publish(run);
    if (run.gpus.length === 0 || run.problems.length > 0) {
      throw new Error(run.gpus.length === 0 ? `nvidia-smi listed no GPUs. ${run.problems.join('; ')}` : run.problems.join('; '));
    }
  }

  private publish(run: GpuRun): void {
    this.clear();
    this.available.set(run.gpus.length > 0 ? 1 : 0);
    const indexByUuid = new Map(run.gpus.map((g) => [g.uuid, g.index]));
    for (const g of run.gpus) {
      const l = { gpu: g.index, uuid: g.uuid, name: g.name };
      const put = (gauge: Gauge<GpuLabel>, value: number | undefined): void => {
        if (value !== undefined) gauge.set(l, value);
      };
      put(this.perGpu.utilization, g.utilizationRatio);
      put(this.perGpu.memoryUtilization, g.memoryUtilizationRatio);
      put(this.perGpu.memoryUsed, g.memoryUsedBytes);
      put(this.perGpu.memoryTotal, g.memoryTotalBytes);
      put(this.perGpu.temperature, g.temperatureCelsius);
      put(this.perGpu.power, g.powerWatts);
      put(this.perGpu.smClock, g.smClockHertz);
      const listed = run.list?.find((x) => x.uuid === g.uuid);
      if (listed) this.perGpu.migDevices.set(l, listed.mig.length);
    }
    if (run.apps && run.targetPids) {
      for (const [gpu, bytes] of targetMemoryByGpu(run.apps, run.targetPids, indexByUuid)) {
        if (bytes !== undefined) this.targetMemory.set({ target: this.ctx.target.name, gpu }, bytes);
      }
    }
  }

  private clear(): void {
    this.available.set(0);
    for (const gauge of Object.values(this.perGpu)) gauge.reset();
    this.targetMemory.reset();
  }
}

/**
 * Pure: GPU memory of the target's processes per GPU index; 0 on a GPU it does not use, undefined
 * where one of its processes there has an unknown amount.
 */
export function targetMemoryByGpu(apps: readonly ComputeApp[], pids: ReadonlySet<number>, indexByUuid: ReadonlyMap<string, string>): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>();
  for (const index of indexByUuid.values()) out.set(index, 0);
  for (const app of apps) {
    const index = indexByUuid.get(app.gpuUuid);
    if (index === undefined || !pids.has(app.pid)) continue;
    const sum = out.get(index);
    out.set(index, sum === undefined || app.usedBytes === undefined ? undefined : sum + app.usedBytes);
  }
  return out;
}

export const gpuCollector: CollectorFactory = {
  name: 'gpu',
  defaultEnabled: true,
  enabled: (config) => config.enabled && config.gpu.enabled,
  interval: (config) => config.gpu.interval,
  create: (ctx) => new GpuCollector(ctx),
};

export { GpuCollector };
