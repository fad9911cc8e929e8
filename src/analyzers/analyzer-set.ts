/**
 * The running analyzers (those their config enables). Each call is isolated: an analyzer that throws
 * is marked down (modelwatch_analyzer_up 0), logged rate-limited, and the others carry on; its next
 * successful call (record, label, tick) marks it up again, so the gauge always says whether the last
 * call succeeded.
 */
import { RateLimitedLog } from '../core/log.js';
import { registerSnapshot } from '../metrics/snapshot-metric.js';
import type { LabelRecord, ModelRecord } from '../records/model-record.js';
import type { Analyzer, AnalyzerContext, AnalyzerFactory } from './analyzer.js';

interface Running {
  name: string;
  analyzer: Analyzer;
  up: boolean;
  failures: number;
  tickSeconds: number;
}

export class AnalyzerSet {
  private readonly running: Running[];
  private readonly warn: RateLimitedLog;

  constructor(factories: readonly AnalyzerFactory[], ctx: AnalyzerContext) {
    this.running = factories
      .filter((f) => f.enabled(ctx.config))
      .map((f) => ({ name: f.name, analyzer: f.create(ctx), up: true, failures: 0, tickSeconds: 0 }));
    this.warn = new RateLimitedLog(ctx.logger);
    registerSnapshot(ctx.registry, 'modelwatch_analyzer_up', 'Whether the analyzer\'s last call (record, label or tick) succeeded (1) or failed (0).', 'gauge', () =>
      this.running.map((r) => ({ labels: { analyzer: r.name }, value: r.up ? 1 : 0 })),
    );
    registerSnapshot(ctx.registry, 'modelwatch_analyzer_tick_duration_seconds', 'Duration of the analyzer\'s last periodic computation.', 'gauge', () =>
      this.running.map((r) => ({ labels: { analyzer: r.name }, value: r.tickSeconds })),
    );
  }

  get names(): string[] {
    return this.running.map((r) => r.name);
  }

  record(rec: ModelRecord): void {
    for (const r of this.running) {
      try {
        r.analyzer.onRecord(rec);
        r.up = true;
      } catch (err) {
        this.fail(r, err, 'record');
      }
    }
  }

  label(label: LabelRecord): void {
    for (const r of this.running) {
      if (!r.analyzer.onLabel) continue;
      try {
        r.analyzer.onLabel(label);
        r.up = true;
      } catch (err) {
        this.fail(r, err, 'label');
      }
    }
  }

  async tick(now: number): Promise<void> {
    for (const r of this.running) {
      if (!r.analyzer.tick) continue;
      const start = performance.now();
      try {
        await r.analyzer.tick(now);
        r.up = true;
      } catch (err) {
        this.fail(r, err, 'tick');
      }
      r.tickSeconds = (performance.now() - start) / 1000;
    }
  }

  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const r of this.running) if (r.analyzer.snapshot) out[r.name] = r.analyzer.snapshot();
    return out;
  }

  restore(saved: Record<string, unknown>): void {
    for (const r of this.running) {
      if (!r.analyzer.restore || saved[r.name] === undefined) continue;
      try {
        r.analyzer.restore(saved[r.name]);
      } catch (err) {
        this.fail(r, err, 'restore');
      }
    }
  }

  async close(): Promise<void> {
    for (const r of this.running) await r.analyzer.close?.();
  }

  private fail(r: Running, err: unknown, stage: string): void {
    r.up = false;
    r.failures++;
    this.warn.warn(`${r.name}:${stage}`, { analyzer: r.name, stage, err: String(err) }, 'analyzer failed');
  }
}

