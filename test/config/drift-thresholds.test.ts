/**
 * `threshold: auto` in config: globally, per method or per feature, with drift.false_alarm_rate;
 * a feature's setting wins over drift.thresholds, method by method.
 */
import { describe, expect, it } from 'vitest';
import { featureThresholds } from '../../src/config/drift-schema.js';
import { configSchema } from '../../src/config/schema.js';

describe('drift thresholds in config', () => {
  it('defaults: fixed thresholds, α = 0.01, rare categories below 5 folded, chi_squared_gof opt-in', () => {
    const { drift } = configSchema.parse({});
    expect(drift.thresholds).toEqual({});
    expect(drift.false_alarm_rate).toBe(0.01);
    expect(drift.min_category_count).toBe(5);
    expect(drift.methods).not.toContain('chi_squared_gof');
  });

  it('accepts auto globally, per method and per feature', () => {
    const config = configSchema.parse({
      drift: { thresholds: { psi: 'auto', kl_divergence: 0.3 }, false_alarm_rate: 0.05 },
      features: [{ name: 'age', thresholds: 'auto' }, { name: 'plan', thresholds: { psi: 0.25 } }, { name: 'city' }],
    });
    const [age, plan, city] = config.features!;
    expect(featureThresholds(config.drift, age).psi).toBe('auto');
    expect(featureThresholds(config.drift, age).wasserstein).toBe('auto');
    expect(featureThresholds(config.drift, plan)).toEqual({ psi: 0.25, kl_divergence: 0.3 });
    expect(featureThresholds(config.drift, city)).toEqual({ psi: 'auto', kl_divergence: 0.3 });
    expect(featureThresholds(configSchema.parse({ drift: { thresholds: 'auto' } }).drift).chi_squared).toBe('auto');
  });

  it('rejects other words and rates outside (0, 0.5]', () => {
    expect(() => configSchema.parse({ drift: { thresholds: { psi: 'calibrated' } } })).toThrow();
    expect(() => configSchema.parse({ drift: { thresholds: 'fixed' } })).toThrow();
    expect(() => configSchema.parse({ drift: { false_alarm_rate: 0 } })).toThrow();
    expect(() => configSchema.parse({ drift: { false_alarm_rate: 0.7 } })).toThrow();
  });
});
