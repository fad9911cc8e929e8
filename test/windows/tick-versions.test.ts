/**
 * Ticks proportional to what changed: a window's version moves with every push, expiry and restore
 * and with nothing else, and a drift tick that finds every window at the version it computed from
 * keeps its results; one that does not gives what a fresh computation gives.
 */
import { describe, expect, it } from 'vitest';
import { CountWindow } from '../../src/windows/count-window.js';
import { FeatureBinner } from '../../src/windows/feature-binner.js';
import { FeatureDrift } from '../../src/windows/feature-drift.js';
import { profileColumn } from '../../src/windows/reference-profile.js';
import { TimeWindow } from '../../src/windows/time-window.js';

function drift(): FeatureDrift {
  const reference = Array.from({ length: 500 }, (_, i) => (i * 7919) % 100);
  const profile = profileColumn(reference, 'numeric', { bins: 10, maxCategories: 50, maxSample: 1e6 });
  return new FeatureDrift(new FeatureBinner(profile, 50), Float64Array.from(profile.type === 'numeric' ? profile.sample : []), [{ label: 'last_200', count: 200 }, { label: '1m', seconds: 60 }], {
    methods: ['psi', 'ks', 'wasserstein'],
    primary: 'psi',
    thresholds: {},
    minSamples: 10,
    maxWindowValues: 1000,
  });
}

describe('window versions', () => {
  it('move with pushes, expiries and restores only', () => {
    const c = new CountWindow(3, 2);
    const v0 = c.version;
    c.advance();
    expect(c.version).toBe(v0);
    c.push(0, 1, 0);
    expect(c.version).not.toBe(v0);
    const t = new TimeWindow(60, 2, 100, 6);
    t.push(0, 1, 0);
    const v1 = t.version;
    t.advance(5);
    expect(t.version).toBe(v1);
    t.advance(120);
    expect(t.version).not.toBe(v1);
    const v2 = t.version;
    t.advance(500);
    expect(t.version).toBe(v2);
    t.restore(t.snapshot());
    expect(t.version).not.toBe(v2);
  });
});

describe('drift tick', () => {
  it('keeps its results while no window changed, and recomputes like a fresh tick when one did', () => {
    const d = drift();
    for (let i = 0; i < 300; i++) d.observe(i / 10, (i * 31) % 120);
    d.compute(30);
    const first = d.results;
    d.compute(31);
    expect(d.results[0]).toBe(first[0]);
    expect(d.results[1]).toBe(first[1]);
    // The time window loses its oldest sub-buckets; the count window stays as it was.
    d.compute(75);
    expect(d.results[0]).toBe(first[0]);
    expect(d.results[1]).not.toBe(first[1]);
    const fresh = drift();
    for (let i = 0; i < 300; i++) fresh.observe(i / 10, (i * 31) % 120);
    fresh.compute(75);
    expect(d.results).toEqual(fresh.results);
    d.observe(75, 50);
    d.compute(75);
    expect(d.results[0]).not.toBe(first[0]);
  });
});
