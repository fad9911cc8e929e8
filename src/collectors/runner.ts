/**
 * Runs each collector on its own interval, off the scrape path, and reports on each run:
 * modelwatch_collector_success{collector} (1/0) and modelwatch_collector_duration_seconds{collector}
 * (the last run). A collector that throws is logged (rate-limited) and marked 0; the others, and
 * the scrape, go on. A run still in progress when its next tick comes is not started twice.
 */
import type { Registry } from 'prom-client';
import { Gauge } from '../core/prom-client.js';
import { RateLimitedLog, type Logger } from '../core/log.js';
import type { Collector } from './collector.js';

export interface ScheduledCollector {
  collector: Collector;
  intervalSeconds: number;
}

/** A repeating timer; injected so tests drive ticks by hand. */
export type RepeatTimer = (tick: () => void, intervalMs: number) => { cancel(): void };

export const unrefInterval: RepeatTimer = (tick, intervalMs) => {
  const handle = setInterval(tick, intervalMs);
  // Collectors never keep the process alive on their own.
  handle.unref();
  return { cancel: () => clearInterval(handle) };
};

export interface CollectorRunnerOptions {
  registry: Registry;
  logger: Logger;
  collectors: ScheduledCollector[];
  timer?: RepeatTimer;
  /** Milliseconds from a monotonic clock, for run durations. */
  now?: () => number;
}

export class CollectorRunner {
  private readonly success: Gauge<'collector'>;
  private readonly duration: Gauge<'collector'>;
  private readonly errors: RateLimitedLog;
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private timers: { cancel(): void }[] = [];
  private readonly now: () => number;

  constructor(private readonly options: CollectorRunnerOptions) {
    const registers = [options.registry];
    this.success = new Gauge({ name: 'modelwatch_collector_success', help: '1 when the last run of the resource collector succeeded, 0 when it failed.', labelNames: ['collector'], registers });
    this.duration = new Gauge({ name: 'modelwatch_collector_duration_seconds', help: 'Duration of the last run of the resource collector.', labelNames: ['collector'], registers });
    this.errors = new RateLimitedLog(options.logger);
    this.now = options.now ?? (() => performance.now());
  }

  get collectorNames(): string[] {
    return this.options.collectors.map((c) => c.collector.name);
  }

  /** Runs every collector at once, then each on its interval. */
  start(): void {
    if (this.timers.length > 0) return;
    const timer = this.options.timer ?? unrefInterval;
    for (const { collector, intervalSeconds } of this.options.collectors) {
      void this.run(collector);
      this.timers.push(timer(() => void this.run(collector), Math.max(1, intervalSeconds * 1000)));
    }
  }

  /** One run of every collector, together; resolves when all are done (tests, one-shot mode). */
  async runOnce(): Promise<void> {
    await Promise.all(this.options.collectors.map(({ collector }) => this.run(collector)));
  }

  /** Stops the timers and waits for runs in progress. */
  async stop(): Promise<void> {
    for (const t of this.timers) t.cancel();
    this.timers = [];
    await Promise.all(this.inFlight.values());
  }

  /** One run of one collector; true when it succeeded. Joins a run already in progress. */
  run(collector: Collector): Promise<boolean> {
    const running = this.inFlight.get(collector.name);
    if (running) return running;
    const run = this.runGuarded(collector).finally(() => this.inFlight.delete(collector.name));
    this.inFlight.set(collector.name, run);
    return run;
  }

  private async runGuarded(collector: Collector): Promise<boolean> {
    const labels = { collector: collector.name };
    const started = this.now();
    let ok = true;
    try {
      await collector.collect();
    } catch (err) {
      ok = false;
      const e = err instanceof Error ? err : new Error(String(err));
      this.errors.warn(collector.name, { collector: collector.name, err: { type: e.name, message: e.message } }, 'resource collector failed');
    }
    this.duration.set(labels, (this.now() - started) / 1000);
    this.success.set(labels, ok ? 1 : 0);
    return ok;
  }
}
