/**
 * The configured sources, each feeding its own record stream: file tailers (sharing one offsets
 * checkpoint) and stdin. Names are unique so every source has its own self-metrics.
 */
import type { Logger } from '../core/log.js';
import type { Config, FormatConfig, SourceConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { RecordConsumer, RecordStream } from '../records/record-stream.js';
import type { CheckpointStore } from '../sources/checkpoint.js';
import { FileTailer } from '../sources/file-tailer.js';
import type { Source } from '../sources/source.js';
import { StdinSource } from '../sources/stdin-source.js';

/** A record stream for one source; records go to the analyzers unless another consumer is given. */
export type StreamFactory = (format: FormatConfig, role: 'records' | 'labels', consumer?: RecordConsumer) => RecordStream;

export interface SourceWiring {
  config: Config;
  newStream: StreamFactory;
  clock: Clock;
  logger: Logger;
  checkpoint?: CheckpointStore;
  /** Read every file from its beginning (one-shot runs ignore start_at). */
  fromBeginning?: boolean;
}

/** `labels` for a label source, else the source type; a repeated name gets its index appended. */
export function sourceName(cfg: SourceConfig, index: number, taken: Set<string>): string {
  let name = cfg.name ?? (cfg.role === 'labels' ? 'labels' : cfg.type);
  if (taken.has(name)) name = `${name}_${index}`;
  taken.add(name);
  return name;
}

export function buildSources(w: SourceWiring): Source[] {
  const taken = new Set<string>();
  return w.config.sources.map((cfg, i): Source => {
    const name = sourceName(cfg, i, taken);
    const sink = w.newStream(cfg.format, cfg.role);
    if (cfg.type === 'stdin') return new StdinSource({ name, sink, maxLineBytes: cfg.max_line_bytes });
    return new FileTailer({
      name,
      paths: cfg.paths,
      startAt: w.fromBeginning ? 'beginning' : cfg.start_at,
      pollIntervalMs: cfg.poll_interval * 1000,
      maxLineBytes: cfg.max_line_bytes,
      sink,
      clock: w.clock,
      checkpoint: w.checkpoint,
      logger: w.logger,
    });
  });
}
