/**
 * Wiring only: config → sources → record streams → analyzers → registry → HTTP server.
 * `startModelwatch` is what `modelwatch run`, `demo` and the integration tests start; each step is a
 * small named function here or in pipeline/.
 */
import type { Server } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from './core/log.js';
import { Registry } from './core/prom-client.js';
import { ANALYZERS } from './analyzers/index.js';
import { AnalyzerSet } from './analyzers/analyzer-set.js';
import { createResourceRunner } from './collectors/index.js';
import type { Config } from './config/schema.js';
import { systemClock, type Clock } from './core/clock.js';
import { limitHeapGrowth } from './core/heap-growth.js';
import { VERSION } from './core/version.js';
import { Exposition, type ExpositionBody, type ExpositionFormat } from './exposition/exposition.js';
import { registerSelfMetrics, type CheckpointHealth } from './exposition/self-metrics.js';
import { CardinalityLedger } from './metrics/cardinality.js';
import { EventLoopDelay } from './metrics/event-loop-delay.js';
import { registerRuntimeMetrics } from './metrics/runtime-metrics.js';
import { buildSources, type StreamFactory } from './pipeline/build-sources.js';
import { landingStatus } from './pipeline/landing-status.js';
import { registerMemoryBudget } from './pipeline/memory-budget.js';
import { referenceOf } from './windows/reference-loader.js';
import { pendingByModel, unpairedByModel } from './pipeline/pair-totals.js';
import { HEARTBEAT_MS, Heartbeat } from './pipeline/heartbeat.js';
import { serve } from './pipeline/serve.js';
import { StateSnapshotter } from './pipeline/snapshotter.js';
import { stdinMapping } from './pipeline/stdin-mapping.js';
import { createRecordMapper, type RecordMapper } from './records/mapper.js';
import { RecordStream } from './records/record-stream.js';
import { SkippedLineLog } from './records/skipped-lines.js';
import { SourceStatsTable } from './records/source-stats.js';
import { CheckpointStore } from './sources/checkpoint.js';
import type { Source } from './sources/source.js';
import { StdinSource } from './sources/stdin-source.js';
import { prepareFormat } from './tables/read-table.js';

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
  /** The exposition as /metrics sends it (bytes); release() the body when done with it. */
  metricsBody(format?: ExpositionFormat): Promise<ExpositionBody>;
  stop(): Promise<void>;
}

/** The sidecar's own process and Node metrics (prom-client's default names), and the event-loop delay summary. */
function createRegistry(processMetrics: boolean): { registry: Registry; eventLoopDelay?: EventLoopDelay } {
  const registry = new Registry();
  if (!processMetrics) return { registry };
  registerRuntimeMetrics(registry);
  // The event-loop delay summary (nodejs_eventloop_lag_p50…p99, min, max, mean, stddev) is sampled by
  // the 1 s pairing-expiry timer: prom-client's libuv timer of its own was most of an idle sidecar's
  // CPU (10 ms: 0.87 % of a core, 100 ms: 0.23 %; issue 16, docs/performance.md).
  const eventLoopDelay = new EventLoopDelay(HEARTBEAT_MS);
  eventLoopDelay.register(registry);
  return { registry, eventLoopDelay };
}

function createCheckpoint(config: Config, clock: Clock, logger: Logger, oneShot: boolean | undefined, snapshotter: () => StateSnapshotter | undefined): CheckpointStore | undefined {
  if (!config.checkpoint.path || oneShot) return undefined;
  if (!config.checkpoint.state) return new CheckpointStore({ path: config.checkpoint.path, clock, logger });
  return new CheckpointStore({
    path: config.checkpoint.path,
    clock,
    logger,
    stateProvider: () => snapshotter()?.provide(),
    canWrite: () => snapshotter()?.armed === true,
  });
}

function checkpointHealth(checkpoint: CheckpointStore, snapshotter: StateSnapshotter | undefined): CheckpointHealth {
  const st = checkpoint.stats;
  return { writeFailures: st.writeFailures, corrupt: st.corrupt, lastSuccessSeconds: st.lastSuccessMs / 1000, durable: snapshotter?.durable };
}

/** Periodic work of a live run: analyzer ticks and checkpoint writes (pair expiry: the heartbeat). */
function startTimers(config: Config, opts: StartOptions, p: Pick<Pipeline, 'tick'>, checkpointNow?: () => void): NodeJS.Timeout[] {
  const { tick } = p;
  const timers = [setInterval(() => void tick(), opts.tickIntervalMs ?? config.drift.interval * 1000).unref()];
  if (!checkpointNow) return timers;
  // Half an interval out of phase with the ticks (both default to 15 s): two heavy steps in one turn
  // of the event loop would delay a scrape by both.
  const every = config.checkpoint.interval * 1000;
  timers.push(setTimeout(() => timers.push(setInterval(checkpointNow, every).unref()), every / 2).unref());
  return timers;
}

/** `--stdin`: one more source, mapped like the config's records source; the log says which mapping. */
function addStdin(config: Config, logger: Logger, stream: Readable, newStream: StreamFactory, sources: Source[]): void {
  const mapping = stdinMapping(config);
  if (mapping === 'configured') {
    logger.info('--stdin: standard input is already a configured source');
    return;
  }
  const { preset, fields } = mapping.format;
  logger.info({ from: mapping.from, preset, features: fields.features, prediction: fields.prediction, status: fields.status }, `stdin mapping: ${mapping.from}`);
  if (mapping.differing.length > 0) {
    logger.warn({ from: mapping.from, differing: mapping.differing }, `--stdin maps lines like ${mapping.from}; ${mapping.differing.join(', ')} map differently`);
  }
  sources.push(new StdinSource({ name: 'stdin', sink: newStream(mapping.format, 'records'), stream, maxLineBytes: 1024 * 1024 }));
}

/** The pipeline's own metrics: lines, errors, lag, rotations, pairing, build info. */
export function registerPipelineSelfMetrics(
  p: Pipeline,
  sources: readonly Pick<Source, 'name' | 'lagBytes' | 'rotations' | 'fileCount'>[],
  checkpoint?: () => CheckpointHealth,
): void {
  // Every source's line counters exist from the start, at 0 (rate() works before the first line).
  for (const s of sources) p.stats.for(s.name);
  registerSelfMetrics(p.registry, {
    stats: p.stats,
    cardinality: p.cardinality,
    version: VERSION,
    checkpoint,
    sources: () => sources.map((s) => ({ name: s.name, lagBytes: s.lagBytes?.bind(s), rotations: s.rotations?.bind(s), fileCount: s.fileCount?.bind(s) })),
    pending: () => pendingByModel(p.mappers),
    unpaired: () => unpairedByModel(p.mappers),
  });
}

/** The record pipeline without its sources: record streams → analyzers → registry. */
export interface Pipeline {
  registry: Registry;
  stats: SourceStatsTable;
  analyzers: AnalyzerSet;
  exposition: Exposition;
  /** Where analyzers report label values folded into `__overflow__`. */
  cardinality: CardinalityLedger;
  mappers: RecordMapper[];
  /** A record stream for one source (its own mapper), delivering to the analyzers. */
  newStream: StreamFactory;
  /** Expires request/response halves waiting past the pairing TTL. */
  expire(): void;
  /** Expiry, then the analyzers' periodic computation (drift, quality) as of the clock. */
  tick(): Promise<void>;
  /**
   * Grows whenever the pipeline's state may have changed: every line read (records, labels, skipped
   * lines and HTTP values all count one), every tick that changed a result a metric shows (an idle
   * tick that recomputed nothing new does not: AnalyzerSet.tick), every expiry that dropped a
   * waiting half. Each part only grows, so an equal sum means none moved.
   */
  stateVersion(): number;
  /** The Node metrics' event-loop delay summary, sampled by the live run's 1 s timer (none without process metrics). */
  eventLoopDelay?: EventLoopDelay;
}

export interface PipelineOptions {
  config: Config;
  logger: Logger;
  clock: Clock;
  oneShot?: boolean;
  /** Node and process metrics of this process (off for a replay: they would describe the replayer). */
  processMetrics?: boolean;
}

export function buildPipeline(o: PipelineOptions): Pipeline {
  const { config, logger, clock } = o;
  const { registry, eventLoopDelay } = createRegistry(o.processMetrics ?? true);
  const stats = new SourceStatsTable();
  const cardinality = new CardinalityLedger();
  const analyzers = new AnalyzerSet(ANALYZERS, { config, registry, clock, logger, oneShot: o.oneShot, cardinality });
  const mappers: RecordMapper[] = [];
  const defaults = { model: config.model.name, version: config.model.version };
  const skippedLog = new SkippedLineLog(logger, clock);
  const newStream: StreamFactory = (format, role, consumer = analyzers) => {
    const mapper = createRecordMapper(format, { defaults, pairing: config.pairing, clock, classes: config.quality.classes });
    mappers.push(mapper);
    return new RecordStream(mapper, role, consumer, stats, skippedLog);
  };
  // Counted after the state changed: a capture taken mid-tick has the older version, so the
  // checkpoint timer after the tick captures again.
  let changes = 0;
  const expire = () => {
    const before = pendingHalves(mappers);
    for (const m of mappers) m.expire(clock.now());
    if (pendingHalves(mappers) !== before) changes++;
  };
  const tick = async () => {
    expire();
    let changed = true;
    try {
      changed = await analyzers.tick(clock.now());
    } finally {
      if (changed) changes++;
    }
  };
  const stateVersion = () => stats.totalLines() + changes;
  // The budget describes this process: not for a replay, which has no process metrics either.
  if (o.processMetrics ?? true) {
    // The reference is parsed once per config (the analyzers have loaded it already).
    const reference = () => (config.reference.path ? referenceOf(config) : undefined);
    registerMemoryBudget(registry, config, { live: !o.oneShot, models: () => analyzers.modelVersions(), reference });
  }
  const limits = { maxLabelValueLength: config.metrics.max_label_value_length ?? 128, maxSeriesPerMetric: config.metrics.max_series_per_metric ?? 10_000 };
  return { registry, stats, analyzers, exposition: new Exposition(registry, limits), cardinality, mappers, newStream, expire, tick, stateVersion, eventLoopDelay };
}

/** Request/response halves waiting to be paired, over every mapper (0 without pairing formats). */
function pendingHalves(mappers: readonly RecordMapper[]): number {
  let n = 0;
  for (const m of mappers) for (const c of m.pairStats().values()) n += c.pending;
  return n;
}

/**
 * modelwatch_source_lag_bytes moves without a line (a file grew by a partial line, or is not read
 * yet): compared at each tick, as the capture after every tick used to publish it, and counted when
 * it moved, so the checkpoint timer publishes it then.
 */
function lagChanges(sources: readonly Pick<Source, 'lagBytes'>[]): { atTick: () => void; count: () => number } {
  let last = NaN;
  let moved = 0;
  return {
    atTick() {
      let lag = 0;
      for (const s of sources) lag += s.lagBytes?.() ?? 0;
      if (!Object.is(lag, last)) moved++;
      last = lag;
    },
    count: () => moved,
  };
}

/** Rotations seen by every file source so far (they move counters without a line). */
function rotationsSeen(sources: readonly Pick<Source, 'rotations'>[]): number {
  let n = 0;
  for (const s of sources) {
    const r = s.rotations?.();
    if (r) for (const k in r) n += r[k];
  }
  return n;
}

export async function startModelwatch(opts: StartOptions): Promise<Modelwatch> {
  const { config, logger } = opts;
  limitHeapGrowth(!opts.oneShot);
  // Loaded only when the reference is a Parquet file (hyparquet and its codecs are ~20 MiB resident).
  await prepareFormat(config.reference.path);
  const clock = opts.clock ?? systemClock;
  const pipeline = buildPipeline({ config, logger, clock, oneShot: opts.oneShot });
  const { registry, stats, analyzers, exposition, newStream, tick, stateVersion } = pipeline;
  let snapshotter: StateSnapshotter | undefined;
  const checkpoint = createCheckpoint(config, clock, logger, opts.oneShot, () => snapshotter);
  const sources = buildSources({ config, newStream, clock, logger, checkpoint, fromBeginning: opts.oneShot });
  if (opts.stdin) addStdin(config, logger, opts.stdin, newStream, sources);
  const lag = lagChanges(sources);
  if (checkpoint && config.checkpoint.state) snapshotter = new StateSnapshotter(checkpoint, () => sources, analyzers, exposition, logger, () => stateVersion() + rotationsSeen(sources) + lag.count(), () => stats.totalLines());
  registerPipelineSelfMetrics(pipeline, sources, checkpoint && (() => checkpointHealth(checkpoint, snapshotter)));

  const resources = createResourceRunner(config.resources, registry, logger);
  // With state snapshots, scrapes see the pipeline as of the newest durable snapshot; they never write.
  const render = async (): Promise<string> => exposition.render(snapshotter?.families());
  // What /metrics sends: the bytes, never a string.
  const renderBody = (format: ExpositionFormat = 'text'): Promise<ExpositionBody> => exposition.renderBody(snapshotter?.families(), format);

  // Readiness contract: until the checkpoint is loaded, the state restored and the sources started,
  // /metrics and ingest answer 503 and nothing is written to the checkpoint (the snapshotter is not
  // armed), so no scrape can publish or persist a pipeline that has not resumed yet.
  let ready = false;
  let served: { server: Server; url: string } | undefined;
  const startedAt = clock.now();
  if (!opts.oneShot) {
    const status = () => landingStatus({ ready, startedAt, analyzers: analyzers.names, stats, sources });
    served = await serve({ config, logger, newStream, render: renderBody, ready: () => ready, status });
  }

  await checkpoint?.load();
  if (await snapshotter?.restore()) {
    // Recompute drift and quality over the restored windows now, not at the first tick.
    await analyzers.tick(clock.now());
  }
  for (const s of sources) await s.start();
  if (snapshotter) {
    snapshotter.arm();
    // The first durable snapshot of this run: what /metrics serves until the next one.
    await snapshotter.snapshotNow();
  }
  ready = true;

  // At most one full write per interval: the timer is the only writer besides start and stop.
  // The snapshot /metrics serves holds every line written before its write began: sources read what
  // was announced since their last poll first, so a line is never a poll_interval later than that.
  const readThenSnapshot = async (s: StateSnapshotter) => {
    await Promise.all(sources.map((source) => source.readNow?.()));
    await s.periodic();
  };
  const checkpointNow = checkpoint
    ? () => {
        if (snapshotter) void readThenSnapshot(snapshotter);
        else for (const s of sources) void s.checkpointNow?.();
      }
    : undefined;
  const tickAndLag = async () => {
    await tick();
    lag.atTick();
  };
  const timers = opts.oneShot ? [] : startTimers(config, opts, { tick: tickAndLag }, checkpointNow);
  // Pair expiry and the event-loop delay sample: one wake-up a second, every 5 s while idle.
  const eventLoopDelay = pipeline.eventLoopDelay;
  const heartbeat = opts.oneShot
    ? undefined
    : new Heartbeat({
        expire: pipeline.expire,
        stateVersion,
        pending: () => pendingHalves(pipeline.mappers),
        beat: eventLoopDelay && ((now, due) => eventLoopDelay.beat(now, due)),
      });
  if (!opts.oneShot) resources?.start();

  return {
    url: served?.url,
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
    metricsBody: renderBody,
    async stop() {
      for (const t of timers) clearInterval(t);
      heartbeat?.stop();
      await resources?.stop();
      for (const s of sources) await s.stop();
      // Sources are stopped, so this last snapshot holds every line read, with its offsets.
      await snapshotter?.snapshotNow();
      await analyzers.close();
      const server = served?.server;
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
