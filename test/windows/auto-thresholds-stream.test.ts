/**
 * `threshold: auto` through the streaming path: the drift analyzer calibrates each feature's auto
 * methods at its windows' sizes and exports the thresholds in use per window; the binner keeps every
 * reference category and counts unknown ones in `__other__` once the profile was capped.
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
    // p-value methods: the α quantile of the calibration's null p-values, near α on untied data.
    const ks = value(/feature="x",method="ks",window="last_100"/);
    const chi = value(/feature="color",method="chi_squared",window="last_300"/);
    for (const cut of [ks, chi]) {
      expect(cut).toBeGreaterThan(0.025);
      expect(cut).toBeLessThan(0.1);
    }
    // Fixed thresholds keep their shape: no window label.
    expect(lines).toContain('modelwatch_feature_drift_threshold{model="m",version="v",feature="x",method="wasserstein"} 0.1');
    expect(lines.some((l) => /method="wasserstein",window=/.test(l))).toBe(false);
  });
});

describe('categorical bins of a reference with rare categories', () => {
  const profile: CategoricalProfile = { type: 'categorical', n: 110, missing: 0, categories: ['a', 'b', 'rare'], counts: [60, 48, 2], other: 0 };

  it('keeps a rare reference category in its own bin (the scorer folds by pooled counts) and gives an unknown one a slot', () => {
    const binner = new FeatureBinner(profile, 10);
    expect(binner.bin('rare')).toBe(2);
    expect(binner.refCounts[2]).toBe(2);
    expect(binner.bin('never-seen')).toBe(3);
    expect(binner.refCounts[binner.otherBin]).toBe(0);
  });

  it('counts an unknown category in __other__ when the profile was capped', () => {
    const binner = new FeatureBinner({ ...profile, other: 7 }, 10);
    const other = binner.otherBin;
    expect(binner.labels[other]).toBe('__other__');
    expect(binner.refCounts[other]).toBe(7);
    expect(binner.bin('never-seen')).toBe(other);
    expect(binner.bin('rare')).toBe(2);
  });
});
