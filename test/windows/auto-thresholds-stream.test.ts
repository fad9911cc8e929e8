/**
 * `threshold: auto` through the streaming path: the drift analyzer calibrates each feature's auto
 * methods at its windows' sizes and exports the thresholds in use per window; the binner folds rare
 * reference categories, and unknown ones once anything is folded, into `__other__`.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DriftAnalyzer } from '../../src/analyzers/drift.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { mulberry32 } from '../../src/stats/random.js';
import { FeatureBinner } from '../../src/windows/feature-binner.js';
import type { CategoricalProfile } from '../../src/windows/reference-profile.js';

describe('streaming drift with auto thresholds', () => {
  it('exports the calibrated threshold per window, and keeps fixed ones as they were', async () => {
    const registry = new Registry();
    const config = configSchema.parse({
      reference: { warmup_records: 400 },
      drift: { windows: [{ count: 100 }, { count: 300 }], min_samples: 50, thresholds: { psi: 'auto', ks: 'auto', chi_squared: 'auto' }, false_alarm_rate: 0.05 },
    });
    const analyzer = new DriftAnalyzer({ config, registry, clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true });
    const rand = mulberry32(4);
    for (let i = 0; i < 800; i++) {
      analyzer.onRecord({ timestamp: 1_700_000_000 + i, model: 'm', version: 'v', features: { x: rand() * 10, color: ['a', 'b', 'c'][Math.floor(rand() * 3)] }, prediction: rand() });
    }
    analyzer.tick(0);
    const lines = (await registry.metrics()).split('\n').filter((l) => l.startsWith('modelwatch_feature_drift_threshold{'));
    const value = (match: RegExp) => Number(lines.find((l) => match.test(l))?.split(' ')[1]);
    const psi100 = value(/feature="x",method="psi",window="last_100"/);
    const psi300 = value(/feature="x",method="psi",window="last_300"/);
    // PSI's noise shrinks with the window: a 300-row window needs a lower threshold than a 100-row one.
    expect(psi100).toBeGreaterThan(psi300);
    expect(psi300).toBeGreaterThan(0);
    expect(value(/feature="x",method="ks",window="last_100"/)).toBe(0.05);
    expect(value(/feature="color",method="chi_squared",window="last_300"/)).toBe(0.05);
    // Fixed thresholds keep their shape: no window label.
    expect(lines).toContain('modelwatch_feature_drift_threshold{model="m",version="v",feature="x",method="wasserstein"} 0.1');
    expect(lines.some((l) => /method="wasserstein",window=/.test(l))).toBe(false);
  });
});

describe('categorical bins of a reference with rare categories', () => {
  const profile: CategoricalProfile = { type: 'categorical', n: 110, missing: 0, categories: ['a', 'b', 'rare'], counts: [60, 48, 2], other: 0 };

  it('folds categories seen fewer than minCategoryCount times into __other__, and then unknown ones too', () => {
    const binner = new FeatureBinner(profile, 10, 5);
    const other = binner.otherBin;
    expect(binner.labels[other]).toBe('__other__');
    expect(binner.refCounts[other]).toBe(2);
    expect(binner.bin('rare')).toBe(other);
    expect(binner.bin('never-seen')).toBe(other);
    expect(binner.bin('a')).toBe(0);
  });

  it('gives an unknown category a slot of its own when nothing was folded', () => {
    const binner = new FeatureBinner(profile, 10, 1);
    expect(binner.bin('rare')).toBe(2);
    expect(binner.bin('never-seen')).toBe(3);
    expect(binner.refCounts[binner.otherBin]).toBe(0);
  });
});
