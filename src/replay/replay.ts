/**
 * A replay: the configured file sources read from their beginning, merged by record time, through
 * the same pipeline the live sidecar runs, with its clock set to record time. At every step of
 * record time the exposition /metrics would have served is added to an OpenMetrics file. Windows,
 * ticks, label TTLs, pairing and staleness all follow record time, so a day replays in seconds.
 *
 * Order: each source is read in file order; across sources the record with the earliest time goes
 * first (labels interleave with predictions by their own times). A record older than the newest one
 * seen by more than the out-of-order tolerance is counted (`out_of_order`) and skipped, never
 * silently reordered; within the tolerance it is delivered, and the clock never moves back.
 */
import type { Logger } from '../core/log.js';
import type { Config, FileSourceConfig } from '../config/schema.js';
import { ManualClock } from '../core/clock.js';
import { buildPipeline, registerPipelineSelfMetrics } from '../main.js';
import { createRecordMapper } from '../records/mapper.js';
import type { ModelRecord } from '../records/model-record.js';
import { sourceName } from '../pipeline/build-sources.js';
import { OpenMetricsWriter } from './openmetrics-writer.js';
import { linesOf, ReplayInputError, SourceCursor, sourceFiles, type Timed } from './source-cursor.js';

export interface ReplayOptions {
  out: string;
  from?: number;
  to?: number;
  stepSeconds: number;
  maxOutOfOrderSeconds: number;
  /** Added to every sample (job, instance, namespace, …). */
  labels?: Record<string, string>;
  /** Called every few thousand records (a progress bar). */
  progress?: (p: ReplayProgress) => void;
}

export interface ReplayProgress {
  records: number;
  labels: number;
  /** Record time reached, seconds since the epoch. */
  recordTime: number;
}

export interface ReplaySummary extends ReplayProgress {
  sources: number;
  steps: number;
  samples: number;
  firstStep?: number;
  lastStep?: number;
  skipped: { out_of_order: number };
}

/** How many lines are mapped up front to tell a source that has timestamps from one that has none. */
const PROBE_LINES = 200;

/** An error when the first mapped records of the source all lack a timestamp (the mapper gave them "now"). */
async function requireTimestamps(name: string, cfg: FileSourceConfig, config: Config, files: string[]): Promise<void> {
  const probeClock = new ManualClock(-1_000);
  const mapper = createRecordMapper(cfg.format, { defaults: { model: config.model.name, version: config.model.version }, pairing: config.pairing, clock: probeClock });
  let mapped = 0;
  let stamped = 0;
  const count = (t: number) => {
    mapped++;
    if (t !== -1) stamped++;
  };
  let read = 0;
  for await (const line of linesOf(files)) {
    if (++read > PROBE_LINES) break;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (cfg.role === 'labels') {
      const l = mapper.mapLabel(value);
      if (!('error' in l)) count(l.timestamp);
    } else {
      const out: ModelRecord[] = [];
      mapper.map(value, out);
      for (const r of out) count(r.timestamp);
    }
  }
  if (mapped > 0 && stamped === 0) {
    const field = cfg.format.fields?.timestamp ?? 'timestamp';
    throw new ReplayInputError(`source "${name}": none of its first ${mapped} records has a timestamp (field "${field}"); a replay needs record times`);
  }
}

export async function replay(config: Config, logger: Logger, o: ReplayOptions): Promise<ReplaySummary> {
  const clock = new ManualClock(0);
  const pipeline = buildPipeline({ config, logger, clock, processMetrics: false });
  const taken = new Set<string>();
  const cursors: SourceCursor[] = [];
  for (const [i, cfg] of config.sources.entries()) {
    const name = sourceName(cfg, i, taken);
    if (cfg.type !== 'file') throw new ReplayInputError(`source "${name}": a replay reads file sources only (this one is ${cfg.type})`);
    const files = await sourceFiles(name, cfg);
    await requireTimestamps(name, cfg, config, files);
    const cursor = new SourceCursor(name, files, cfg.max_line_bytes);
    cursor.stream = pipeline.newStream(cfg.format, cfg.role, cursor);
    cursors.push(cursor);
  }
  if (cursors.length === 0) throw new ReplayInputError('the config has no file source to replay');
  registerPipelineSelfMetrics(pipeline, cursors.map((c) => ({ name: c.name })));

  const writer = new OpenMetricsWriter(o.labels);
  const summary: ReplaySummary = { records: 0, labels: 0, recordTime: 0, sources: cursors.length, steps: 0, samples: 0, skipped: { out_of_order: 0 } };
  const step = o.stepSeconds;
  let nextStep: number | undefined;
  let lastTick = -Infinity;
  let newest = -Infinity;

  const emit = async (at: number) => {
    clock.set(at * 1000);
    if (at - lastTick >= config.drift.interval) {
      await pipeline.tick();
      lastTick = at;
    } else {
      pipeline.expire();
    }
    if (o.from !== undefined && at < o.from) return;
    writer.add(await pipeline.exposition.render(), at);
    summary.steps++;
    summary.firstStep ??= at;
    summary.lastStep = at;
  };
  const earliest = async (): Promise<SourceCursor | undefined> => {
    let best: SourceCursor | undefined;
    let bestT = Infinity;
    for (const c of cursors) {
      const head = await c.peek();
      if (head !== undefined && head.t < bestT) [best, bestT] = [c, head.t];
    }
    return best;
  };
  const deliver = (item: Timed) => {
    if (item.t < newest - o.maxOutOfOrderSeconds) {
      summary.skipped.out_of_order++;
      return;
    }
    if (item.t > newest) newest = item.t;
    if (newest * 1000 > clock.now()) clock.set(newest * 1000);
    if (item.record) {
      pipeline.analyzers.record(item.record);
      summary.records++;
    } else {
      pipeline.analyzers.label(item.label);
      summary.labels++;
    }
    summary.recordTime = newest;
    if ((summary.records + summary.labels) % 5000 === 0) o.progress?.(summary);
  };

  for (;;) {
    const cursor = await earliest();
    const head = cursor ? await cursor.peek() : undefined;
    const t = head?.t ?? Infinity;
    if (head && nextStep === undefined) nextStep = Math.floor((o.from ?? head.t) / step) * step;
    const done = !head || (o.to !== undefined && t > o.to);
    // The steps before this record (what a scrape at that moment would have seen); at the end, up
    // to --to, else to the step that follows the newest record. A --to past the end of the logs
    // goes on stepping: the sidecar was still scraped while its logs were silent (a stalled model
    // server), its counters held and its windows emptied as record time went on.
    const last = !done ? t : (o.to ?? Math.ceil(newest / step) * step);
    while (nextStep !== undefined && (done ? nextStep <= last : nextStep < last)) {
      await emit(nextStep);
      nextStep += step;
    }
    if (done) break;
    cursor!.shift();
    deliver(head);
  }
  o.progress?.(summary);
  summary.samples = writer.samples;
  writer.finish(o.out);
  return summary;
}
