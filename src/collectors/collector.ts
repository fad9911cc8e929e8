/**
 * A Collector reads what the kernel or a tool reports about the model server (its processes, its
 * cgroup, its GPUs) and stores it into its own prom-client metrics. It runs on its own interval off
 * the scrape path (runner.ts); a scrape only reads what the last run stored.
 */
import type { Logger } from '../core/log.js';
import type { Registry } from 'prom-client';
import type { ResourcesConfig } from '../config/resources-schema.js';
import type { TargetResolver } from './target.js';

export interface Collector {
  name: string;
  /** Reads the system once and updates the metrics; throws when the reading failed. */
  collect(): Promise<void>;
}

export interface CollectorContext {
  registry: Registry;
  logger: Logger;
  target: TargetResolver;
  config: ResourcesConfig;
}

/** One entry of the explicit list in collectors/index.ts (node_exporter's registerCollector). */
export interface CollectorFactory {
  name: string;
  defaultEnabled: boolean;
  /** Whether this config turns the collector on (defaults, target presence, its own switch). */
  enabled(config: ResourcesConfig): boolean;
  /** Seconds between runs. */
  interval(config: ResourcesConfig): number;
  create(ctx: CollectorContext): Collector;
}
