/**
 * Resources of the model server (resources.target) of each replica: CPU, memory, file descriptors
 * and threads from /proc, and its GPUs through nvidia-smi. Not per model: the target is a process
 * or container, and every series is one replica's (legends name the sidecar instance).
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { finish, modelwatchDashboard } from '../dashboard-kit.js';
import { runbook } from '../links.js';
import { barGaugePanel, statPanel, thresholds, timeSeriesPanel, valueMapping } from '../panel-kit.js';
import { MIXIN, promQuery, rate, sidecarSelector, sumBy } from '../queries.js';

function cpuPanel() {
  return timeSeriesPanel({
    title: 'CPU',
    description: 'CPU cores used by the model server, by mode (user, system). Children are included when resources.target.include_children.',
    unit: 'short',
    targets: [promQuery(sumBy(['namespace', 'instance', 'target', 'mode'], rate(sidecarSelector('modelwatch_target_cpu_seconds_total'))), { legend: '{{target}} {{mode}} {{instance}}' })],
  }).axisLabel('cores');
}

function memoryPanel() {
  return timeSeriesPanel({
    title: 'Memory',
    description: 'Resident (rss), virtual (vms) and swapped memory of the model server.',
    unit: 'bytes',
    targets: [promQuery(sidecarSelector('modelwatch_target_memory_bytes'), { legend: '{{target}} {{kind}} {{instance}}' })],
    links: [runbook('ModelwatchModelServerMemoryNearLimit'), runbook('ModelwatchModelServerOOMKilled')],
  });
}

function openFdsPanel() {
  return timeSeriesPanel({
    title: 'Open file descriptors',
    description: 'File descriptors (files, sockets) held open by the model server.',
    unit: 'short',
    targets: [promQuery(sidecarSelector('modelwatch_target_open_fds'), { legend: '{{target}} {{instance}}' })],
  });
}

function threadsPanel() {
  return timeSeriesPanel({
    title: 'Threads',
    description: 'Threads of the model server processes.',
    unit: 'short',
    targets: [promQuery(sidecarSelector('modelwatch_target_threads'), { legend: '{{target}} {{instance}}' })],
  });
}

function gpuAvailableStat() {
  return statPanel({
    title: 'GPU',
    description: 'Whether nvidia-smi answered on the last run on any selected replica. "none" on a CPU-only model server is normal.',
    unit: 'none',
    targets: [promQuery(`max(${sidecarSelector('modelwatch_gpu_available')})`)],
    height: 8,
  }).mappings([valueMapping({ '0': { text: 'none', color: 'text' }, '1': { text: 'available', color: 'green' } })]);
}

function gpuUtilizationPanel() {
  return timeSeriesPanel({
    title: 'GPU utilization',
    description: 'Share of the sample period in which a kernel ran on the GPU (absent on MIG-enabled GPUs).',
    unit: 'percentunit',
    targets: [promQuery(sidecarSelector('modelwatch_gpu_utilization_ratio'), { legend: 'GPU {{gpu}} {{name}} {{instance}}' })],
    width: 18,
  })
    .min(0)
    .max(1);
}

function gpuMemoryPanel() {
  return timeSeriesPanel({
    title: 'GPU memory',
    description: 'GPU memory allocated by all processes on each GPU, against its total (dashed).',
    unit: 'bytes',
    targets: [
      promQuery(sidecarSelector('modelwatch_gpu_memory_used_bytes'), { legend: 'GPU {{gpu}} used {{instance}}' }),
      promQuery(sidecarSelector('modelwatch_gpu_memory_total_bytes'), { legend: 'GPU {{gpu}} total {{instance}}' }),
    ],
  }).overrideByQuery('B', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]);
}

function gpuMemoryShareGauge() {
  return barGaugePanel({
    title: 'GPU memory in use',
    description: `Used share of each GPU memory; the ModelwatchGpuMemoryNearFull alert fires above ${MIXIN.resources.gpuMemoryRatio * 100} %.`,
    unit: 'percentunit',
    targets: [
      promQuery(`${sidecarSelector('modelwatch_gpu_memory_used_bytes')} / ${sidecarSelector('modelwatch_gpu_memory_total_bytes')}`, { instant: true, legend: 'GPU {{gpu}} {{name}} {{instance}}' }),
    ],
    links: [runbook('ModelwatchGpuMemoryNearFull')],
  })
    .min(0)
    .max(1)
    .thresholds(thresholds(0.8, MIXIN.resources.gpuMemoryRatio));
}

export function resourcesDashboard(): dashboard.Dashboard {
  return finish(
    modelwatchDashboard({
      uid: 'modelwatch-resources',
      title: 'modelwatch / Resources',
      description: 'CPU, memory, file descriptors, threads and GPUs of the model server.',
      variables: [],
    })
      .withPanel(cpuPanel())
      .withPanel(memoryPanel())
      .withPanel(openFdsPanel())
      .withPanel(threadsPanel())
      .withPanel(gpuAvailableStat())
      .withPanel(gpuUtilizationPanel())
      .withPanel(gpuMemoryPanel())
      .withPanel(gpuMemoryShareGauge()),
  );
}
