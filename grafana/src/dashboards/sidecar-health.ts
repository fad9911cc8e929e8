/**
 * Sidecar health: is modelwatch keeping up with the logs (lines/s, lag, staleness, files matched),
 * what it skips (parse errors by reason), how rotations and checkpoints went, and what its own work
 * costs (scrape, analyzer and collector durations, process CPU and memory). Every series is one
 * sidecar's: legends name the instance.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { finish, modelwatchDashboard } from '../dashboard-kit.js';
import { runbook } from '../links.js';
import { barGaugePanel, hideColumns, stateTimelinePanel, tablePanel, thresholds, timeSeriesPanel, valueMapping } from '../panel-kit.js';
import { increaseOverRange, MIXIN, promQuery, rate, sidecarSelector, sumBy } from '../queries.js';

const UP_MAPPING = valueMapping({ '0': { text: 'failing', color: 'red' }, '1': { text: 'ok', color: 'green' } });

function linesPanel() {
  return timeSeriesPanel({
    title: 'Lines read',
    description: 'Log lines (or ingested JSON values) read per second, per source.',
    unit: 'short',
    targets: [promQuery(sumBy(['namespace', 'instance', 'source'], rate(sidecarSelector('modelwatch_log_lines_total'))), { legend: '{{source}} {{instance}}' })],
    links: [runbook('ModelwatchLogStalled')],
  }).axisLabel('lines / s');
}

function parseErrorsPanel() {
  return timeSeriesPanel({
    title: 'Skipped lines by reason',
    description: 'Lines skipped per second: invalid_json, too_long, invalid_utf8, or a mapping reason (missing_features, bad_timestamp, …).',
    unit: 'short',
    targets: [promQuery(sumBy(['namespace', 'instance', 'source', 'reason'], rate(sidecarSelector('modelwatch_log_line_errors_total'))), { legend: '{{source}} {{reason}} {{instance}}' })],
    links: [runbook('ModelwatchParseErrors')],
  }).axisLabel('lines / s');
}

function lagPanel() {
  return timeSeriesPanel({
    title: 'Lag',
    description: 'Bytes written to the tailed files but not read yet. Growing steadily means modelwatch cannot keep up.',
    unit: 'bytes',
    targets: [promQuery(sidecarSelector('modelwatch_source_lag_bytes'), { legend: '{{source}} {{instance}}' })],
  });
}

function stalenessPanel() {
  return timeSeriesPanel({
    title: 'Log staleness',
    description: 'Age of the newest record read from each source (now − its event time).',
    unit: 's',
    targets: [promQuery(`time() - ${sidecarSelector('modelwatch_last_record_timestamp_seconds')}`, { legend: '{{source}} {{instance}}' })],
  });
}

function rotationsPanel() {
  return barGaugePanel({
    title: 'Rotations (time range)',
    description: 'File rotations handled over the dashboard time range: rename, truncate (copytruncate), symlink, deleted, new_file.',
    unit: 'none',
    targets: [promQuery(sumBy(['namespace', 'instance', 'source', 'kind'], increaseOverRange(sidecarSelector('modelwatch_source_rotations_total'))), { instant: true, legend: '{{source}} {{kind}} {{instance}}' })],
  });
}

function pendingPanel() {
  return timeSeriesPanel({
    title: 'Requests waiting for their response',
    description: 'Request halves not yet joined with their response (KServe, Open Inference v2); bounded by pairing.max_pending, dropped after pairing.ttl.',
    unit: 'short',
    targets: [promQuery(sidecarSelector('modelwatch_pending_requests'), { legend: '{{model}} {{instance}}' })],
  });
}

function sourceFilesPanel() {
  return timeSeriesPanel({
    title: 'Files matched per source',
    description: 'Files the paths (globs) of each source match now. 0 means the sidecar reads nothing from that source: a wrong path or an unmounted volume.',
    unit: 'short',
    targets: [promQuery(sidecarSelector('modelwatch_source_files'), { legend: '{{source}} {{instance}}' })],
    links: [runbook('ModelwatchSourceNoFiles')],
  })
    .min(0)
    .thresholds(thresholds(0, 1))
    .axisLabel('files');
}

function checkpointAgePanel() {
  const s = MIXIN.sidecar;
  return timeSeriesPanel({
    title: 'Checkpoint age and failures',
    description: `Time since each sidecar last wrote its checkpoint (checkpoint.path), against the ${s.checkpointMaxAgeSeconds} s alert limit, and failed writes per second (right axis). Absent without checkpoint.path.`,
    unit: 's',
    targets: [
      promQuery(`time() - ${sidecarSelector('modelwatch_checkpoint_last_success_timestamp_seconds')}`, { legend: 'age {{instance}}' }),
      promQuery(rate(sidecarSelector('modelwatch_checkpoint_write_failures_total')), { legend: 'failed writes {{instance}}' }),
    ],
    links: [runbook('ModelwatchCheckpointStale'), runbook('ModelwatchCheckpointWriteFailing'), runbook('ModelwatchCheckpointCorrupt')],
  })
    .thresholds(thresholds(s.checkpointMaxAgeSeconds / 2, s.checkpointMaxAgeSeconds))
    .overrideByQuery('B', [{ id: 'unit', value: 'wps' }, { id: 'custom.axisPlacement', value: 'right' }]);
}

function scrapeDurationPanel() {
  return timeSeriesPanel({
    title: 'Scrape duration',
    description: "How long Prometheus took to scrape each sidecar's /metrics. Scrapes only read stored results, so this stays flat as traffic grows.",
    unit: 's',
    targets: [promQuery(sidecarSelector('scrape_duration_seconds'), { legend: '{{instance}}' })],
  });
}

function analyzerTickPanel() {
  return timeSeriesPanel({
    title: 'Analyzer tick duration',
    description: "Duration of each analyzer's last periodic computation (drift, quality), done off the scrape path.",
    unit: 's',
    targets: [promQuery(sidecarSelector('modelwatch_analyzer_tick_duration_seconds'), { legend: '{{analyzer}} {{instance}}' })],
  });
}

function analyzerUpPanel() {
  return stateTimelinePanel({
    title: 'Analyzers',
    description: 'Whether each analyzer ran without error; a failing one stops reporting while the others carry on.',
    unit: 'none',
    targets: [promQuery(sidecarSelector('modelwatch_analyzer_up'), { legend: '{{analyzer}} {{instance}}' })],
  }).mappings([UP_MAPPING]);
}

function collectorDurationPanel() {
  return timeSeriesPanel({
    title: 'Collector duration',
    description: 'Duration of the last run of each resource collector (process, cgroup, gpu).',
    unit: 's',
    targets: [promQuery(sidecarSelector('modelwatch_collector_duration_seconds'), { legend: '{{collector}} {{instance}}' })],
  });
}

function collectorSuccessPanel() {
  return stateTimelinePanel({
    title: 'Collectors',
    description: 'Whether the last run of each resource collector succeeded.',
    unit: 'none',
    targets: [promQuery(sidecarSelector('modelwatch_collector_success'), { legend: '{{collector}} {{instance}}' })],
  }).mappings([UP_MAPPING]);
}

function processPanel() {
  return timeSeriesPanel({
    title: 'Sidecar CPU and memory',
    description: "modelwatch's own CPU (cores) and resident memory.",
    unit: 'short',
    targets: [
      promQuery(rate(sidecarSelector('process_cpu_seconds_total')), { legend: 'CPU {{instance}}' }),
      promQuery(sidecarSelector('process_resident_memory_bytes'), { legend: 'rss {{instance}}' }),
    ],
  }).overrideByQuery('B', [{ id: 'unit', value: 'bytes' }, { id: 'custom.axisPlacement', value: 'right' }]);
}

function buildInfoTable() {
  return tablePanel({
    title: 'Sidecars',
    description: 'Every modelwatch instance Prometheus scrapes in the selected namespaces, with its version and Node.js version.',
    unit: 'none',
    targets: [promQuery(sidecarSelector('modelwatch_build_info'), { instant: true, table: true })],
    links: [runbook('ModelwatchDown'), runbook('ModelwatchAbsent')],
  }).withTransformation(hideColumns(['Time', 'Value', '__name__']));
}

export function sidecarHealthDashboard(): dashboard.Dashboard {
  return finish(
    modelwatchDashboard({
      uid: 'modelwatch-sidecar',
      title: 'modelwatch / Sidecar health',
      description: 'Throughput, lag, parse errors, rotations and self-monitoring of the modelwatch sidecars.',
      variables: [],
    })
      .withRow(new dashboard.RowBuilder('Log ingestion'))
      .withPanel(linesPanel())
      .withPanel(parseErrorsPanel())
      .withPanel(lagPanel())
      .withPanel(stalenessPanel())
      .withPanel(sourceFilesPanel())
      .withPanel(checkpointAgePanel())
      .withPanel(rotationsPanel())
      .withPanel(pendingPanel())
      .withRow(new dashboard.RowBuilder('Self-monitoring'))
      .withPanel(scrapeDurationPanel())
      .withPanel(analyzerTickPanel())
      .withPanel(analyzerUpPanel())
      .withPanel(collectorSuccessPanel())
      .withPanel(collectorDurationPanel())
      .withPanel(processPanel())
      .withPanel(buildInfoTable().span(24)),
  );
}
