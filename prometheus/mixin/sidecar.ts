/**
 * Alerts on the sidecar itself: not scraped, not reading, reading garbage, tailing nothing, or
 * failing to save its checkpoint. All of them are the platform team's (the pipeline, not the model).
 * Per replica: each sidecar tails its own pod's log.
 */
import type { MixinConfig } from './config.js';
import { IN_NAMESPACE, percent, promql, prose, seconds } from './promql.js';
import type { GroupSpec } from './rules.js';

export function sidecarAlerts(config: MixinConfig): GroupSpec {
  const p = promql(config);
  const s = config.sidecar;
  const perSource = p.byReplica('source');
  const up = p.sel('up');
  const lines = p.sel('modelwatch_log_lines_total');
  const lastSuccess = p.sel('modelwatch_checkpoint_last_success_timestamp_seconds');
  return {
    name: 'modelwatch-sidecar',
    rules: [
      {
        alert: 'ModelwatchDown',
        severity: 'critical',
        team: 'platform',
        expr: `${up} == 0`,
        for: '5m',
        summary: 'modelwatch sidecar {{ $labels.instance }} is down',
        description: `
          Prometheus has not been able to scrape the modelwatch sidecar at {{ $labels.instance }}${IN_NAMESPACE} for 5 minutes, so drift, quality and latency of the models it watches
          are not measured. The other modelwatch alerts of this instance are inhibited while it is down.`,
      },
      {
        alert: 'ModelwatchAbsent',
        severity: 'critical',
        team: 'platform',
        expr: `absent(${up})`,
        for: '10m',
        summary: 'No modelwatch target is being scraped',
        description: `
          Prometheus has had no target matching ${config.selector.join(', ')} for 10 minutes: service discovery
          lost the sidecars or the scrape job is gone, and no model is being monitored.`,
      },
      {
        alert: 'ModelwatchLogStalled',
        severity: 'warning',
        team: 'platform',
        comment: `
          No line for ${s.logStalledAfter}, held for ${s.logStalledAfter}, although the sidecar is up and the
          source had at least ${s.logStalledMinLinesBefore} lines between 1 and 2 hours ago: the model server stopped
          logging (or serving), or the sidecar tails the wrong file. A source that was quiet an hour ago
          never alerts.`,
        expr: `
          sum by (${perSource}) (increase(${lines}[${s.logStalledAfter}])) == 0
          and on (${p.byReplica()})
          ${up} == 1
          and
          sum by (${perSource}) (increase(${lines}[1h] offset 1h)) >= ${s.logStalledMinLinesBefore}
        `,
        for: s.logStalledAfter,
        summary: 'No log lines from source {{ $labels.source }} on {{ $labels.instance }}',
        description: `
          The modelwatch sidecar at {{ $labels.instance }} is up but has read no line from source
          "{{ $labels.source }}" for ${(2 * seconds(s.logStalledAfter)) / 60} minutes, although
          that source had traffic an hour earlier. The model may have stopped serving, or its log moved
          where the sidecar does not look.`,
      },
      {
        alert: 'ModelwatchParseErrors',
        severity: 'warning',
        team: 'platform',
        comment: `Minimum traffic: ${s.minLogLines} lines in 10 minutes, so a handful of bad lines on a quiet source does not alert.`,
        expr: `
          sum by (${perSource}) (rate(${p.sel('modelwatch_log_line_errors_total')}[10m]))
          /
          sum by (${perSource}) (rate(${lines}[10m]))
          > ${s.parseErrorRatio}
          and
          sum by (${perSource}) (increase(${lines}[10m])) >= ${s.minLogLines}
        `,
        for: '10m',
        summary: '{{ $value | humanizePercentage }} of log lines from {{ $labels.source }} fail to parse',
        description: `
          {{ $value | humanizePercentage }} of the lines the sidecar at {{ $labels.instance }} read from
          source "{{ $labels.source }}" over the last 10 minutes could not be turned into records
          (threshold ${percent(s.parseErrorRatio)}). Those requests are missing from every drift, quality and
          latency metric.`,
      },
      {
        alert: 'ModelwatchSourceNoFiles',
        severity: 'warning',
        team: 'platform',
        expr: `${p.sel('modelwatch_source_files')} == 0`,
        for: s.sourceNoFilesFor,
        summary: 'Log path of source {{ $labels.source }} on {{ $labels.instance }} matches no file',
        description: `
          The paths of source "{{ $labels.source }}" on the sidecar at {{ $labels.instance }} have matched no
          file for ${prose(s.sourceNoFilesFor)}: a wrong path or glob, a volume not mounted, or a model server
          that logs elsewhere. Nothing from that source is being read.`,
      },
      {
        alert: 'ModelwatchCheckpointWriteFailing',
        severity: 'warning',
        team: 'platform',
        comment: 'Failing in every 5-minute window for 15 minutes: one transient failure does not alert.',
        expr: `rate(${p.sel('modelwatch_checkpoint_write_failures_total')}[5m]) > 0`,
        for: '15m',
        summary: 'modelwatch on {{ $labels.instance }} cannot write its checkpoint',
        description: `
          The sidecar at {{ $labels.instance }} has failed to write its checkpoint in every 5-minute window for
          15 minutes (disk full, read-only volume, permissions). A restart now re-reads or skips lines
          and loses the analyzers' state since the last good checkpoint.`,
      },
      {
        alert: 'ModelwatchCheckpointStale',
        severity: 'warning',
        team: 'platform',
        comment: `
          The timestamp exists only with checkpoint.path set. Either the last success is over
          ${s.checkpointMaxAgeSeconds} s old, or there has been none (0) although the process started more than
          ${s.checkpointMaxAgeSeconds} s ago.`,
        expr: `
          (
              time() - ${lastSuccess} > ${s.checkpointMaxAgeSeconds}
            and
              ${lastSuccess} > 0
          )
          or
          (
              time() - ${p.sel('process_start_time_seconds')} > ${s.checkpointMaxAgeSeconds}
            and on (${p.byReplica()})
              ${lastSuccess} == 0
          )
        `,
        summary: 'Checkpoint of modelwatch on {{ $labels.instance }} is {{ $value | humanizeDuration }} old',
        description: `
          The sidecar at {{ $labels.instance }} has not written a checkpoint successfully for
          {{ $value | humanizeDuration }} (limit ${s.checkpointMaxAgeSeconds} s). After a restart it would resume
          from that old position.`,
      },
      {
        alert: 'ModelwatchCheckpointCorrupt',
        severity: 'warning',
        team: 'platform',
        comment: 'A counter that first appears above 0 (a new pod that found a corrupt file at start) counts too.',
        expr: `
          increase(${p.sel('modelwatch_checkpoint_corrupt_total')}[1h]) > 0
          or
          (
              ${p.sel('modelwatch_checkpoint_corrupt_total')} > 0
            unless
              ${p.sel('modelwatch_checkpoint_corrupt_total')} offset 1h
          )
        `,
        summary: 'modelwatch on {{ $labels.instance }} found a corrupt checkpoint',
        description: `
          The sidecar at {{ $labels.instance }} found its checkpoint corrupt or empty in the last hour, moved
          it aside (<path>.corrupt-<time>) and started its sources from start_at: lines may have been
          re-read or skipped, and the analyzers started empty.`,
      },
    ],
  };
}
