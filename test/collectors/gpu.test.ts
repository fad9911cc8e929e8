import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { GpuCollector, targetMemoryByGpu } from '../../src/collectors/gpu.js';
import { TargetResolver } from '../../src/collectors/target.js';
import { resourcesSchema } from '../../src/config/resources-schema.js';
import { FIXTURES, logSink, samples, value } from './helpers.js';

const FAKE_BIN = `${FIXTURES}fake-bin`;
const MIB = 1024 * 1024;
const saved = { PATH: process.env.PATH, case: process.env.FAKE_NVIDIA_SMI_CASE, log: process.env.FAKE_NVIDIA_SMI_LOG };
let logDir: string;

beforeAll(() => {
  try {
    accessSync(`${FAKE_BIN}/nvidia-smi`, constants.X_OK);
  } catch {
    throw new Error(`${FAKE_BIN}/nvidia-smi must be executable: chmod +x it (git keeps the mode)`);
  }
  // The collector looks nvidia-smi up on PATH, as in production.
  process.env.PATH = `${FAKE_BIN}${delimiter}${process.env.PATH}`;
  logDir = mkdtempSync(join(tmpdir(), 'modelwatch-fake-smi-'));
});
afterAll(() => {
  process.env.PATH = saved.PATH;
  if (saved.case === undefined) delete process.env.FAKE_NVIDIA_SMI_CASE;
  else process.env.FAKE_NVIDIA_SMI_CASE = saved.case;
  if (saved.log === undefined) delete process.env.FAKE_NVIDIA_SMI_LOG;
  rmSync(logDir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.FAKE_NVIDIA_SMI_LOG;
});

function setup(recording: string, options: { gpu?: Record<string, unknown>; target?: Record<string, unknown> } = {}) {
  process.env.FAKE_NVIDIA_SMI_CASE = `${FIXTURES}nvidia-smi/${recording}`;
  const config = resourcesSchema.parse({ target: options.target ?? { pid: 4242 }, gpu: options.gpu ?? {} });
  const registry = new Registry();
  const sink = logSink();
  const target = new TargetResolver(config.target, { logger: sink.logger, procRoot: `${FIXTURES}proc` });
  return { registry, sink, collector: new GpuCollector({ registry, logger: sink.logger, target, config }) };
}

describe('GPU collector on recorded nvidia-smi outputs', () => {
  it('one H100: every GPU figure in base units, and the memory of the target worker', async () => {
    const callLog = join(logDir, 'calls-1gpu.txt');
    process.env.FAKE_NVIDIA_SMI_LOG = callLog;
    const { registry, collector } = setup('h100-1gpu');
    await collector.collect();
    const gpu = { gpu: '0', uuid: 'GPU-3f6a2c1e-9b8d-4e7f-a5c4-1d2e3f4a5b6c', name: 'NVIDIA H100 80GB HBM3' };
    expect(await value(registry, 'modelwatch_gpu_available')).toBe(1);
    expect(await value(registry, 'modelwatch_gpu_utilization_ratio', gpu)).toBe(0.87);
    expect(await value(registry, 'modelwatch_gpu_memory_utilization_ratio', gpu)).toBe(0.41);
    expect(await value(registry, 'modelwatch_gpu_memory_used_bytes', gpu)).toBe(71234 * MIB);
    expect(await value(registry, 'modelwatch_gpu_memory_total_bytes', gpu)).toBe(81559 * MIB);
    expect(await value(registry, 'modelwatch_gpu_temperature_celsius', gpu)).toBe(58);
    expect(await value(registry, 'modelwatch_gpu_power_watts', gpu)).toBe(512.47);
    expect(await value(registry, 'modelwatch_gpu_sm_clock_hertz', gpu)).toBe(1.98e9);
    expect(await value(registry, 'modelwatch_gpu_mig_devices', gpu)).toBe(0);
    expect(await value(registry, 'modelwatch_target_gpu_memory_bytes', { target: 'model-server', gpu: '0' })).toBe(70980 * MIB);
    expect(readFileSync(callLog, 'utf8').split('\n').filter(Boolean).sort()).toEqual([
      '--query-compute-apps=gpu_uuid,pid,used_memory --format=csv,noheader,nounits',
      '--query-gpu=index,uuid,name,utilization.gpu,utilization.memory,memory.used,memory.total,temperature.gpu,power.draw,clocks.sm --format=csv,noheader,nounits',
      '-L',
    ]);
  });

  it('eight GPUs: one series each, target memory where its workers run and 0 elsewhere', async () => {
    const { registry, collector } = setup('h100-8gpu');
    await collector.collect();
    expect(await samples(registry, 'modelwatch_gpu_utilization_ratio')).toHaveLength(8);
    const perGpu = Object.fromEntries((await samples(registry, 'modelwatch_target_gpu_memory_bytes')).map((s) => [s.labels.gpu, s.value / MIB]));
    expect(perGpu).toEqual({ 0: 69470, 1: 69583, 2: 69696, 3: 69809, 4: 0, 5: 0, 6: 0, 7: 0 });
  });

  it('MIG: no utilization series, the instances counted, the target memory on the parent GPU', async () => {
    const { registry, collector } = setup('h100-mig');
    await collector.collect();
    expect(await samples(registry, 'modelwatch_gpu_utilization_ratio')).toEqual([]);
    expect(await value(registry, 'modelwatch_gpu_mig_devices', { gpu: '0' })).toBe(4);
    expect(await value(registry, 'modelwatch_gpu_memory_used_bytes', { gpu: '0' })).toBe(10901 * MIB);
    expect(await value(registry, 'modelwatch_target_gpu_memory_bytes', { gpu: '0' })).toBe(7484 * MIB);
  });

  it('[N/A] and [Not Supported] fields leave only their own series out', async () => {
    const { registry, collector } = setup('na-fields');
    await collector.collect();
    expect(await samples(registry, 'modelwatch_gpu_power_watts')).toEqual([]);
    expect((await samples(registry, 'modelwatch_gpu_utilization_ratio')).map((s) => s.labels.gpu)).toEqual(['0']);
    expect(await samples(registry, 'modelwatch_gpu_temperature_celsius')).toHaveLength(2);
    // GPU 0's process reports [N/A] memory: unknown, not zero.
    expect(await value(registry, 'modelwatch_target_gpu_memory_bytes', { gpu: '0' })).toBeUndefined();
    expect(await value(registry, 'modelwatch_target_gpu_memory_bytes', { gpu: '1' })).toBe(180 * MIB);
  });

  it('drops the series of a GPU that is no longer listed', async () => {
    const { registry, collector } = setup('h100-8gpu');
    await collector.collect();
    process.env.FAKE_NVIDIA_SMI_CASE = `${FIXTURES}nvidia-smi/h100-1gpu`;
    await collector.collect();
    expect(await samples(registry, 'modelwatch_gpu_memory_used_bytes')).toHaveLength(1);
    expect(await samples(registry, 'modelwatch_target_gpu_memory_bytes')).toHaveLength(1);
  });

  it('reports GPUs without target series when no target is configured', async () => {
    const { registry, collector } = setup('h100-1gpu', { target: {} });
    await collector.collect();
    expect(await value(registry, 'modelwatch_gpu_available')).toBe(1);
    expect(await samples(registry, 'modelwatch_target_gpu_memory_bytes')).toEqual([]);
  });
});

describe('GPU collector when nvidia-smi cannot answer', () => {
  it('a failing call (no driver): rejects with nvidia-smi\'s message, available 0, no stale series', async () => {
    const { registry, collector } = setup('h100-1gpu');
    await collector.collect();
    process.env.FAKE_NVIDIA_SMI_CASE = `${FIXTURES}nvidia-smi/driver-failure`;
    await expect(collector.collect()).rejects.toThrow(/exited with 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/);
    expect(await value(registry, 'modelwatch_gpu_available')).toBe(0);
    expect(await samples(registry, 'modelwatch_gpu_memory_used_bytes')).toEqual([]);
    expect(await samples(registry, 'modelwatch_target_gpu_memory_bytes')).toEqual([]);
  });

  it('no nvidia-smi: available 0, a success, logged once', async () => {
    const { registry, collector, sink } = setup('h100-1gpu', { gpu: { nvidia_smi: '/nonexistent/bin/nvidia-smi' } });
    await collector.collect();
    await collector.collect();
    await collector.collect();
    expect(await value(registry, 'modelwatch_gpu_available')).toBe(0);
    expect(sink.lines.filter((l) => l.msg?.includes('nvidia-smi not found'))).toHaveLength(1);
    expect(sink.lines.filter((l) => (l.level ?? 0) >= 40)).toEqual([]);
  });

  it('a hung call is killed at the timeout', async () => {
    const { registry, collector } = setup('hang', { gpu: { timeout: '1s' } });
    await expect(collector.collect()).rejects.toThrow(/took longer than 1s/);
    expect(await value(registry, 'modelwatch_gpu_available')).toBe(0);
  });
});

describe('targetMemoryByGpu', () => {
  it('sums a target with several processes on one GPU', () => {
    const apps = [
      { gpuUuid: 'GPU-a', pid: 1, usedBytes: 10 },
      { gpuUuid: 'GPU-a', pid: 2, usedBytes: 5 },
      { gpuUuid: 'GPU-a', pid: 3, usedBytes: 100 },
      { gpuUuid: 'GPU-unknown', pid: 1, usedBytes: 7 },
    ];
    expect([...targetMemoryByGpu(apps, new Set([1, 2]), new Map([['GPU-a', '0'], ['GPU-b', '1']]))]).toEqual([['0', 15], ['1', 0]]);
  });
});
