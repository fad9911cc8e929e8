/**
 * Wiring only: config → sources → record streams → analyzers → registry → HTTP server.
 * `startModelwatch` is what `modelwatch run`, `demo` and the integration tests start.
 */
import type { Server } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ANALYZERS } from './analyzers/index.js';
import { AnalyzerSet } from './analyzers/analyzer-set.js';
import { createResourceRunner } from './collectors/index.js';
import type { Config, FormatConfig, SourceConfig } from './config/schema.js';
import { CardinalityLedger } from './metrics/cardinality.js';
import { registerSelfMetrics } from './exposition/self-metrics.js';
import { Exposition } from './exposition/exposition.js';
import { StateSnapshotter } from './state/snapshotter.js';
import { cloudEventFromBinary } from './records/presets/kserve.js';
import { createRecordMapper, type RecordMapper } from './records/mapper.js';
import { RecordStream } from './records/record-stream.js';
import { SourceStatsTable } from './records/source-stats.js';
import { CheckpointStore } from './sources/checkpoint.js';
import { FileTailer } from './sources/file-tailer.js';
import type { Source } from './sources/source.js';
import { StdinSource } from './sources/stdin-source.js';
import { prepareFormat } from './tables/read-table.js';
import { VERSION } from './version.js';
import { systemClock, type Clock } from './core/clock.js';

export interface StartOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Read every source from its beginning to its end, no HTTP server, no timers. */
  oneShot?: boolean;
  /** Also read records from this stream (`--stdin`). */
  stdin?: Readable;
  /** Analyzer tick interval in ms (heavy computations); default drift.interval. */
  tickIntervalMs?: number;
}

export interface Modelwatch {
  url?: string;
  registry: Registry;
  stats: SourceStatsTable;
  sources: Source[];
  /** Reads every source to its current end, expires pending pairs and runs a final tick. */
  drain(): Promise<void>;
  tick(): Promise<void>;
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

function sourceName(cfg: SourceConfig, index: number, taken: Set<string>): string {
  let name = cfg.name ?? (cfg.role === 'labels' ? 'labels' : cfg.type);
  if (taken.has(name)) name = `${name}_${index}`;
  taken.add(name);
  return name;
}

export async function startModelwatch(opts: StartOptions): Promise<Modelwatch> {
  const { config, logger } = opts;
  // Loaded only when the reference is a Parquet file (hyparquet and its codecs are ~20 MiB resident).
  await prepareFormat(config.reference.path);
  const clock = opts.clock ?? systemClock;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges `_total`, which promtool rejects; the handle counts are not worth the lint noise.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  const stats = new SourceStatsTable();
  const cardinality = new CardinalityLedger();
  const analyzers = new AnalyzerSet(ANALYZERS, { config, registry, clock, logger, oneShot: opts.oneShot, cardinality });
  const mappers: RecordMapper[] = [];
  const defaults = { model: config.model.name, version: config.model.version };
  const newStream = (format: FormatConfig, role: 'records' | 'labels') => {
    const mapper = createRecordMapper(format, { defaults, pairing: config.pairing, clock });
    mappers.push(mapper);
    return new RecordStream(mapper, role, analyzers, stats);
  };

  const exposition = new Exposition(registry);
  let snapshotter: StateSnapshotter | undefined;
  const checkpoint =
    config.checkpoint.path && !opts.oneShot
      ? new CheckpointStore({ path: config.checkpoint.path, clock, logger, stateProvider: config.checkpoint.state ? () => snapshotter?.provide() : undefined })
      : undefined;
  const sources: Source[] = [];
  const taken = new Set<string>();
  config.sources.forEach((cfg, i) => {
    const name = sourceName(cfg, i, taken);
    const sink = newStream(cfg.format, cfg.role);
    if (cfg.type === 'file') {
      sources.push(
        new FileTailer({
          name,
          paths: cfg.paths,
          startAt: opts.oneShot ? 'beginning' : cfg.start_at,
          pollIntervalMs: cfg.poll_interval * 1000,
          maxLineBytes: cfg.max_line_bytes,
          sink,
          clock,
          checkpoint,
          logger,
        }),
      );
    } else {
      sources.push(new StdinSource({ name, sink, maxLineBytes: cfg.max_line_bytes }));
    }
  });
  if (opts.stdin) {
    sources.push(new StdinSource({ name: 'stdin', sink: newStream(config.ingest.format, 'records'), stream: opts.stdin, maxLineBytes: 1024 * 1024 }));
  }

  registerSelfMetrics(registry, {
    stats,
    cardinality,
    version: VERSION,
    sources: () =>
      sources.map((s) => ({
        name: s.name,
        lagBytes: s.lagBytes?.bind(s),
        rotations: s instanceof FileTailer ? () => ({ ...s.stats.rotations }) : undefined,
      })),
    pending: function* () {
      const byModel = new Map<string, number>();
      for (const m of mappers) for (const [model, n] of m.pendingByModel()) byModel.set(model, (byModel.get(model) ?? 0) + n);
      yield* byModel;
    },
    unpaired: function* () {
      const byModel = new Map<string, Record<string, number>>();
      for (const m of mappers) {
        for (const [model, c] of m.pairStats()) {
          const sum = byModel.get(model) ?? { expired: 0, unmatched_response: 0, evicted: 0 };
          sum.expired += c.expired;
          sum.unmatched_response += c.unmatched_response;
          sum.evicted += c.evicted;
          byModel.set(model, sum);
        }
      }
      yield* byModel;
    },
  });

  const resources = createResourceRunner(config.resources, registry, logger);
  const tailers = sources.filter((s): s is FileTailer => s instanceof FileTailer);
  if (checkpoint && config.checkpoint.state) snapshotter = new StateSnapshotter(checkpoint, () => tailers, analyzers, exposition, logger);
  // With state snapshots, scrapes see the pipeline as of the newest durable snapshot (taken first).
  const render = async (): Promise<string> => exposition.render(snapshotter ? await snapshotter.snapshotNow() : undefined);

  let ready = false;
  let server: Server | undefined;
  let url: string | undefined;
  const startedAt = clock.now();
  if (!opts.oneShot) {
    // The HTTP side (express, bcrypt) is loaded only when serving: a one-shot run never needs it.
    const [{ createApp, listen }, { ingestRouter }, { loadWebConfig }] = await Promise.all([
      import('./http/server.js'),
      import('./sources/http-ingest.js'),
      import('./http/web-config.js'),
    ]);
    const web = config.server.web_config_file ? loadWebConfig(config.server.web_config_file) : undefined;
    const ingest = config.ingest.enabled
      ? ingestRouter({
          maxBodyBytes: config.ingest.max_body_bytes,
          bearerToken: config.ingest.bearer_token,
          records: newStream(config.ingest.format, 'records'),
          labels: newStream(config.ingest.format, 'labels'),
          kserve: newStream(config.ingest.kserve_format, 'records'),
          cloudEventFromBinary,
        })
      : undefined;
    const app = createApp({
      render,
      web,
      ready: () => ready,
      ingest,
      status: () => ({
        version: VERSION,
        ready,
        startedAt,
        analyzers: analyzers.names,
        sources: [...stats.entries()].map(([name, s]) => ({
          name,
          lines: s.lines,
          records: s.records + s.labels,
          errors: s.errorCount(),
          lagBytes: sources.find((src) => src.name === name)?.lagBytes?.(),
        })),
      }),
    });
    ({ server, url } = await listen(app, config.server.listen, web));
    logger.info({ url }, 'serving /metrics');
  }

  await checkpoint?.load();
  if (snapshotter?.restore()) {
    // Recompute drift and quality over the restored windows now, not at the first tick.
    await analyzers.tick(clock.now());
  }
  for (const s of sources) await s.start();
  ready = true;

  const expire = () => {
    for (const m of mappers) m.expire(clock.now());
  };
  const tick = async () => {
    expire();
    await analyzers.tick(clock.now());
  };
  const timers: NodeJS.Timeout[] = [];
  if (!opts.oneShot) {
    resources?.start();
    timers.push(setInterval(expire, 1000).unref());
    timers.push(setInterval(() => void tick(), opts.tickIntervalMs ?? config.drift.interval * 1000).unref());
    if (checkpoint) {
      timers.push(
        setInterval(() => {
          if (snapshotter) snapshotter.snapshotIfOlderThan(config.checkpoint.interval * 1000 * 0.9);
          else for (const t of tailers) void t.checkpointNow();
        }, config.checkpoint.interval * 1000).unref(),
      );
    }
  }

  return {
    url,
    registry,
    stats,
    sources,
    async drain() {
      for (const s of sources) await s.drain();
      await tick();
      await resources?.runOnce();
    },
    tick,
    metrics: render,
    async stop() {
      for (const t of timers) clearInterval(t);
      await resources?.stop();
      for (const s of sources) await s.stop();
      // Sources are stopped, so this last snapshot holds every line read, with its offsets.
      await snapshotter?.snapshotNow();
      await analyzers.close();
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
    },
  };
}
