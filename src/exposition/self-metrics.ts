/**
 * The pipeline reporting on itself: lines, line errors by reason, lag, rotations, freshness,
 * pending request/response pairs and build info. All read at scrape time from plain counters.
 */
import type { Registry } from 'prom-client';
import type { SourceStatsTable } from '../records/source-stats.js';
import type { CardinalityLedger } from '../metrics/cardinality.js';
import { registerSnapshot, type Sample } from '../metrics/snapshot-metric.js';

export interface SourceView {
  name: string;
  lagBytes?(): number;
  /** rotation kind → count */
  rotations?(): Record<string, number>;
  /** Files currently tailed (file sources). */
  fileCount?(): number;
}

/** The checkpoint's health, read live at every scrape. */
export interface CheckpointHealth {
  writeFailures: number;
  corrupt: number;
  /** Unix seconds of the last successful write; 0 before the first. */
  lastSuccessSeconds: number;
  /** With state snapshots: whether /metrics serves the newest durable snapshot (false: live values). */
  durable?: boolean;
}

export interface SelfMetricsInputs {
  stats: SourceStatsTable;
  sources: () => Iterable<SourceView>;
  /** model → requests waiting for their response */
  pending: () => Iterable<[string, number]>;
  /** model → halves that never paired, by outcome (expired, unmatched_response, evicted) */
  unpaired: () => Iterable<[string, Record<string, number>]>;
  version: string;
  cardinality?: CardinalityLedger;
  /** Present when a checkpoint is kept. */
  checkpoint?: () => CheckpointHealth;
}

/**
 * Durability and source health: always rendered live (a published snapshot would show them as of
 * the last successful write, hiding exactly the failures they report).
 */
function registerHealthMetrics(registry: Registry, inputs: SelfMetricsInputs): void {
  const live = (m: { live: boolean }) => void (m.live = true);
  live(
    registerSnapshot(registry, 'modelwatch_source_files', 'Files currently tailed per file source; 0 means its paths match nothing (or nothing openable).', 'gauge', function* () {
      for (const src of inputs.sources()) if (src.fileCount) yield { labels: { source: src.name }, value: src.fileCount() };
    }),
  );
  const checkpoint = inputs.checkpoint;
  if (!checkpoint) return;
  live(
    registerSnapshot(registry, 'modelwatch_checkpoint_write_failures_total', 'Checkpoint writes that failed (disk full, permission, …); offsets stay in memory.', 'counter', () => [
      { labels: {}, value: checkpoint().writeFailures },
    ]),
  );
  live(
    registerSnapshot(registry, 'modelwatch_checkpoint_last_success_timestamp_seconds', 'Unix time of the last successful checkpoint write.', 'gauge', () => [
      { labels: {}, value: checkpoint().lastSuccessSeconds },
    ]),
  );
  live(
    registerSnapshot(
      registry,
      'modelwatch_checkpoint_corrupt_total',
      'Checkpoints found invalid at startup and moved aside (unparsable file, invalid pipeline state) and offsets not at a line start.',
      'counter',
      () => [{ labels: {}, value: checkpoint().corrupt }],
    ),
  );
  live(
    registerSnapshot(
      registry,
      'modelwatch_checkpoint_durable',
      'With checkpoint.state: 1 when /metrics shows the newest durable snapshot (exactly-once holds), 0 when the last write failed and it shows live values that a kill -9 would lose.',
      'gauge',
      function* () {
        const durable = checkpoint().durable;
        if (durable !== undefined) yield { labels: {}, value: durable ? 1 : 0 };
      },
    ),
  );
}

export function registerSelfMetrics(registry: Registry, inputs: SelfMetricsInputs): void {
  const { stats } = inputs;
  registerSnapshot(registry, 'modelwatch_log_lines_total', 'Lines (or ingested JSON values) read, per source.', 'counter', function* () {
    for (const [source, s] of stats.entries()) yield { labels: { source }, value: s.lines };
  });
  registerSnapshot(
    registry,
    'modelwatch_log_line_errors_total',
    'Lines skipped, per source and reason (invalid_json, too_long, invalid_utf8, mapping reasons, …).',
    'counter',
    function* () {
      for (const [source, s] of stats.entries()) for (const [reason, value] of s.errors) yield { labels: { source, reason }, value };
    },
  );
  registerSnapshot(registry, 'modelwatch_source_lag_bytes', 'Bytes written to the source files but not read yet.', 'gauge', function* () {
    for (const src of inputs.sources()) if (src.lagBytes) yield { labels: { source: src.name }, value: src.lagBytes() };
  });
  registerSnapshot(
    registry,
    'modelwatch_source_rotations_total',
    'File rotations handled, per source and kind (rename, truncate, symlink, deleted, new_file).',
    'counter',
    function* (): Iterable<Sample> {
      for (const src of inputs.sources()) {
        if (!src.rotations) continue;
        for (const [kind, value] of Object.entries(src.rotations())) yield { labels: { source: src.name, kind }, value };
      }
    },
  );
  registerSnapshot(
    registry,
    'modelwatch_last_record_timestamp_seconds',
    'Event time of the newest record read from the source (Unix seconds).',
    'gauge',
    function* () {
      for (const [source, s] of stats.entries()) if (s.lastRecordTimestamp > 0) yield { labels: { source }, value: s.lastRecordTimestamp };
    },
  );
  registerSnapshot(registry, 'modelwatch_pending_requests', 'Requests waiting for their response to be logged, per model.', 'gauge', function* () {
    for (const [model, value] of inputs.pending()) yield { labels: { model }, value };
  });
  registerSnapshot(
    registry,
    'modelwatch_series_dropped_total',
    'Observations whose label value was folded into __overflow__ because the metric reached its series cap.',
    'counter',
    function* () {
      for (const [metric, value] of inputs.cardinality?.totals() ?? []) yield { labels: { metric }, value };
    },
  );
  registerSnapshot(
    registry,
    'modelwatch_unpaired_total',
    'Request and response halves that never met, per model: expired (request with no response within pairing.ttl), unmatched_response (response with no request), evicted (pairing.max_pending reached).',
    'counter',
    function* () {
      for (const [model, byOutcome] of inputs.unpaired()) for (const [outcome, value] of Object.entries(byOutcome)) yield { labels: { model, outcome }, value };
    },
  );
  registerHealthMetrics(registry, inputs);
  registerSnapshot(registry, 'modelwatch_build_info', 'Build information; always 1.', 'gauge', () => [
    { labels: { version: inputs.version, node_version: process.version }, value: 1 },
  ]);
}
