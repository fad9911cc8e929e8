/**
 * The resource collectors, in one explicit list (no registration by import side effect), and the
 * one call main.ts needs: createResourceRunner(config.resources, registry, logger).
 */
import type { Logger } from '../core/log.js';
import type { Registry } from 'prom-client';
import type { ResourcesConfig } from '../config/resources-schema.js';
import type { CollectorFactory } from './collector.js';
import { cgroupCollector } from './cgroup.js';
import { gpuCollector } from './gpu.js';
import { processCollector } from './process.js';
import { CollectorRunner, type RepeatTimer, type ScheduledCollector } from './runner.js';
import { TargetResolver } from './target.js';

export const COLLECTORS: readonly CollectorFactory[] = [processCollector, cgroupCollector, gpuCollector];

export interface ResourceRunnerOptions {
  factories?: readonly CollectorFactory[];
  timer?: RepeatTimer;
}

/**
 * The enabled collectors for this config, sharing one target resolver; undefined when none is
 * enabled. The caller starts it (`start()`), or calls `runOnce()` in one-shot mode, and `stop()`s it.
 */
export function createResourceRunner(
  config: ResourcesConfig,
  registry: Registry,
  logger: Logger,
  options: ResourceRunnerOptions = {},
): CollectorRunner | undefined {
  if (!config.enabled) return undefined;
  const log = logger.child({ component: 'resources' });
  const target = new TargetResolver(config.target, { logger: log });
  if (!target.configured) {
    log.info('no resources.target (pid, pidfile, process_name or cgroup) configured: process and cgroup collectors are off');
  }
  const scheduled: ScheduledCollector[] = [];
  for (const factory of options.factories ?? COLLECTORS) {
    if (!factory.enabled(config)) continue;
    scheduled.push({ collector: factory.create({ registry, logger: log, target, config }), intervalSeconds: factory.interval(config) });
  }
  if (scheduled.length === 0) return undefined;
  return new CollectorRunner({ registry, logger: log, collectors: scheduled, timer: options.timer });
}

export { CollectorRunner } from './runner.js';
export { TargetResolver } from './target.js';
export type { Collector, CollectorContext, CollectorFactory } from './collector.js';
