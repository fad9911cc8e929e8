import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Analyzer, AnalyzerFactory } from '../../src/analyzers/analyzer.js';
import { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import { CustomMetricsAnalyzer } from '../../src/analyzers/custom-metrics.js';
import { ANALYZERS } from '../../src/analyzers/index.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { sample } from './quality-helpers.js';

function context(config: Record<string, unknown> = {}) {
  return { config: configSchema.parse(config), registry: new Registry(), clock: new ManualClock(0), logger: pino({ level: 'silent' }) };
}

const record = (x: number) => ({ timestamp: 1, model: 'm', version: 'v', features: { x } }) as unknown as ModelRecord;

describe('AnalyzerSet', () => {
  it('runs only the analyzers their config enables', () => {
    expect(new AnalyzerSet(ANALYZERS, context()).names).toEqual(['traffic', 'drift', 'data_quality', 'model_quality', 'custom_metrics']);
    expect(new AnalyzerSet(ANALYZERS, context({ drift: { enabled: false } })).names).toEqual(['traffic', 'data_quality', 'model_quality', 'custom_metrics']);
    expect(new AnalyzerSet(ANALYZERS, context({ quality: { enabled: false } })).names).toEqual(['traffic', 'drift', 'custom_metrics']);
    expect(new AnalyzerSet(ANALYZERS, context({ quality: { data_quality: { enabled: false } } })).names).not.toContain('data_quality');
  });

  it.each([1, 5])('analyzer_up says whether the last call succeeded: down on a throw, up again on the next success (%i analyzers, the others fine)', async (analyzers) => {
    const fine = (name: string): AnalyzerFactory => ({ name, defaultEnabled: true, enabled: () => true, create: (): Analyzer => ({ onRecord() {} }) });
    const flaky: AnalyzerFactory = {
      name: 'flaky',
      defaultEnabled: true,
      enabled: () => true,
      create: (): Analyzer => ({
        onRecord(r) {
          if ((r.features as Record<string, number>).x < 0) throw new Error('negative');
        },
      }),
    };
    const ctx = context();
    // Five: past the four classes a call site keeps, the set calls bound functions (AnalyzerSet.onRecords).
    const others = Array.from({ length: analyzers - 1 }, (_, i) => fine(`fine_${i}`));
    const set = new AnalyzerSet([...others.slice(0, 2), flaky, ...others.slice(2)], ctx);
    const up = async (analyzer = 'flaky') => sample(await ctx.registry.metrics(), 'modelwatch_analyzer_up', { analyzer });
    set.record(record(1));
    expect(await up()).toBe(1);
    set.record(record(-1));
    expect(await up()).toBe(0);
    for (const other of others) expect(await up(other.name)).toBe(1);
    set.record(record(2));
    expect(await up()).toBe(1);
  });
  it('does not call an analyzer that takes no records (custom metrics with none configured) for every record, and still lists it', async () => {
    const calls: string[] = [];
    const counting = (name: string, takesRecords?: boolean): AnalyzerFactory => ({
      name,
      defaultEnabled: true,
      enabled: () => true,
      create: (): Analyzer => ({ takesRecords, onRecord: () => void calls.push(name) }),
    });
    const ctx = context();
    const set = new AnalyzerSet([counting('a'), counting('idle', false), counting('b', true)], ctx);
    set.record(record(1));
    set.record(record(2));
    expect(calls).toEqual(['a', 'b', 'a', 'b']);
    expect(set.names).toEqual(['a', 'idle', 'b']);
    expect(sample(await ctx.registry.metrics(), 'modelwatch_analyzer_up', { analyzer: 'idle' })).toBe(1);
    // Custom metrics takes records only when some are configured.
    expect(new CustomMetricsAnalyzer(context()).takesRecords).toBe(false);
    expect(new CustomMetricsAnalyzer(context({ custom_metrics: [{ name: 'tokens', type: 'counter', path: 'usage.tokens' }] })).takesRecords).toBe(true);
  });
});
