import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { numericField, parseNvidiaSmiApps, parseNvidiaSmiGpus, parseNvidiaSmiList } from '../../src/collectors/nvidia-smi-parse.js';
import { FIXTURES } from './helpers.js';

const read = (c: string, f: string): string => readFileSync(`${FIXTURES}nvidia-smi/${c}/${f}`, 'utf8');
const MIB = 1024 * 1024;

describe('parseNvidiaSmiGpus', () => {
  it('turns one H100 row into base units', () => {
    const { rows, skipped } = parseNvidiaSmiGpus(read('h100-1gpu', 'query-gpu.csv'));
    expect(skipped).toEqual([]);
    expect(rows).toEqual([{
      index: '0', uuid: 'GPU-3f6a2c1e-9b8d-4e7f-a5c4-1d2e3f4a5b6c', name: 'NVIDIA H100 80GB HBM3',
      utilizationRatio: 0.87, memoryUtilizationRatio: 0.41, memoryUsedBytes: 71234 * MIB, memoryTotalBytes: 81559 * MIB,
      temperatureCelsius: 58, powerWatts: 512.47, smClockHertz: 1980e6,
    }]);
  });

  it('reads eight GPUs in index order', () => {
    const { rows } = parseNvidiaSmiGpus(read('h100-8gpu', 'query-gpu.csv'));
    expect(rows.map((r) => r.index)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(new Set(rows.map((r) => r.uuid)).size).toBe(8);
    expect(rows[7].powerWatts).toBeCloseTo(551.91, 2);
  });

  it('leaves out [N/A] utilization of a MIG-enabled GPU rather than reporting 0', () => {
    const [row] = parseNvidiaSmiGpus(read('h100-mig', 'query-gpu.csv')).rows;
    expect(row.utilizationRatio).toBeUndefined();
    expect(row.memoryUtilizationRatio).toBeUndefined();
    expect(row.memoryUsedBytes).toBe(10901 * MIB);
  });

  it('handles [N/A] and [Not Supported] field by field', () => {
    const [laptop, old] = parseNvidiaSmiGpus(read('na-fields', 'query-gpu.csv')).rows;
    expect(laptop.powerWatts).toBeUndefined();
    expect(laptop.utilizationRatio).toBeCloseTo(0.03, 10);
    expect(old).toEqual({ index: '1', uuid: 'GPU-b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e', name: 'NVIDIA GeForce GTX 1050 Ti', memoryUsedBytes: 230 * MIB, memoryTotalBytes: 4040 * MIB, temperatureCelsius: 35, smClockHertz: 139e6 });
  });

  it('reports an error line mixed into the output instead of misreading it', () => {
    const csv = `Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error\n${read('h100-1gpu', 'query-gpu.csv')}`;
    const { rows, skipped } = parseNvidiaSmiGpus(csv);
    expect(rows).toHaveLength(1);
    expect(skipped).toEqual(['Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error']);
  });

  it('keeps a name holding a comma whole', () => {
    const { rows } = parseNvidiaSmiGpus('0, GPU-1, Board, rev 2, 1, 2, 3, 4, 5, 6.5, 7\n');
    expect(rows[0]).toMatchObject({ name: 'Board, rev 2', utilizationRatio: 0.01, powerWatts: 6.5, smClockHertz: 7e6 });
  });
});

describe('numericField', () => {
  it('accepts numbers with or without units and rejects markers', () => {
    expect(numericField(' 71.15 W')).toBe(71.15);
    expect(numericField('81559 MiB')).toBe(81559);
    for (const marker of ['[N/A]', 'N/A', '[Not Supported]', '[Unknown Error]', '[GPU is lost]', '', 'abc']) expect(numericField(marker)).toBeUndefined();
  });
});

describe('parseNvidiaSmiApps', () => {
  it('reads gpu, pid and memory, with [N/A] memory left undefined', () => {
    expect(parseNvidiaSmiApps(read('na-fields', 'query-compute-apps.csv')).rows).toEqual([
      { gpuUuid: 'GPU-a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', pid: 4250 },
      { gpuUuid: 'GPU-b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e', pid: 4251, usedBytes: 180 * MIB },
    ]);
  });

  it('reads an empty answer (no compute processes) as no rows', () => {
    expect(parseNvidiaSmiApps('')).toEqual({ rows: [], skipped: [] });
  });
});

describe('parseNvidiaSmiList', () => {
  it('groups MIG devices under their GPU', () => {
    const [gpu] = parseNvidiaSmiList(read('h100-mig', 'list.txt'));
    expect(gpu.uuid).toBe('GPU-9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d');
    expect(gpu.mig.map((m) => m.profile)).toEqual(['3g.40gb', '2g.20gb', '1g.10gb', '1g.10gb']);
    expect(gpu.mig[3]).toEqual({ profile: '1g.10gb', device: '3', uuid: 'MIG-7f4b1c5d-0e6a-51cd-94f7-5c9e1a3b6d8f' });
  });

  it('reads the older MIG UUID form and GPUs without MIG', () => {
    const text = 'GPU 0: A100-SXM4-40GB (UUID: GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77)\n  MIG 1g.5gb Device 0: (UUID: MIG-GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77/7/0)\nGPU 1: A100-SXM4-40GB (UUID: GPU-6e6cb1e7-e44e-3c3d-635e-0f4e9e3c9b88)\n';
    const gpus = parseNvidiaSmiList(text);
    expect(gpus.map((g) => g.mig.length)).toEqual([1, 0]);
    expect(gpus[0].mig[0].uuid).toBe('MIG-GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77/7/0');
  });
});
