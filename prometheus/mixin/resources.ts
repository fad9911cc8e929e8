/**
 * The model server's resources, from the sidecar's collectors. Per replica (each sidecar watches
 * its own pod's server), all for the platform team.
 */
import type { MixinConfig } from './config.js';
import { percent, promql, prose } from './promql.js';
import type { GroupSpec } from './rules.js';

export function resourceAlerts(config: MixinConfig): GroupSpec {
  const p = promql(config);
  const r = config.resources;
  return {
    name: 'modelwatch-resources',
    rules: [
      {
        alert: 'ModelwatchGpuMemoryNearFull',
        severity: 'warning',
        team: 'platform',
        expr: `${p.sel('modelwatch_gpu_memory_used_bytes')} / ${p.sel('modelwatch_gpu_memory_total_bytes')} > ${r.gpuMemoryRatio}`,
        for: '15m',
        summary: 'GPU {{ $labels.gpu }} ({{ $labels.name }}) on {{ $labels.instance }} is {{ $value | humanizePercentage }} full',
        description: `
          {{ $value | humanizePercentage }} of the memory of GPU {{ $labels.gpu }} ({{ $labels.name }}) next to
          {{ $labels.instance }} has been in use for 15 minutes (threshold ${percent(r.gpuMemoryRatio)}). The next
          larger batch or model load may fail with an out-of-memory error.`,
      },
      {
        alert: 'ModelwatchModelServerMemoryNearLimit',
        severity: 'warning',
        team: 'platform',
        comment: `
          RSS rather than modelwatch_target_cgroup_memory_usage_bytes (memory.current): the latter
          includes page cache the kernel reclaims before it OOM-kills. memory.max of "max" (no limit)
          is not exported (or, from other exporters, +Inf); either way no alert.`,
        expr: `
          ${p.sel('modelwatch_target_memory_bytes', 'kind="rss"')}
          / ignoring (kind)
          (${p.sel('modelwatch_target_cgroup_memory_limit_bytes')} > 0)
          > ${r.memoryLimitRatio}
        `,
        for: '10m',
        summary: 'Model server {{ $labels.target }} uses {{ $value | humanizePercentage }} of its memory limit',
        description: `
          The resident memory of model server {{ $labels.target }} (watched by {{ $labels.instance }}) has been
          above ${percent(r.memoryLimitRatio)} of its cgroup limit (memory.max) for 10 minutes; it is
          {{ $value | humanizePercentage }} now. The kernel OOM-kills it at 100 %.`,
      },
      {
        alert: 'ModelwatchModelServerOOMKilled',
        severity: 'warning',
        team: 'platform',
        expr: `increase(${p.sel('modelwatch_target_oom_kills_total')}[${r.oomRange}]) > 0`,
        summary: 'Model server {{ $labels.target }} was OOM-killed',
        description: `
          The kernel killed a process of model server {{ $labels.target }} (watched by {{ $labels.instance }})
          for running out of memory in the last ${prose(r.oomRange)}.`,
      },
    ],
  };
}
