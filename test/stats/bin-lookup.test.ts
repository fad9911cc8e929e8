import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinLookup } from '../../src/stats/bin-lookup.js';
import { mulberry32 } from '../../src/stats/random.js';

/** The definition: the number of edges strictly below v (searchsorted side='left'). */
const below = (edges: Float64Array, v: number) => Array.from(edges).filter((e) => e < v).length;

/** Each edge, its neighbours one ulp-ish apart, and a few points between and beyond. */
function probes(edges: Float64Array): number[] {
  const out = [-Infinity, Infinity, -1e308, 1e308, 0, -0];
  for (const e of edges) out.push(e, e * (1 + 1e-15), e * (1 - 1e-15), e + 1e-9, e - 1e-9, e + 0.5, e - 0.5);
  for (let i = 1; i < edges.length; i++) out.push((edges[i - 1] + edges[i]) / 2);
  return out;
}

describe('BinLookup', () => {
  it('gives the number of edges below v for quantile edges of skewed and flat data', () => {
    const rand = mulberry32(11);
    const shapes: Record<string, () => number> = {
      uniform: () => rand() * 100,
      lognormal: () => Math.exp(4 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())),
      heavyTail: () => 1 / (1 - rand()) ** 3,
      rounded: () => Math.round(rand() * 3),
    };
    for (const [shape, draw] of Object.entries(shapes)) {
      for (const bins of [2, 3, 10, 50, 1000]) {
        const sample = Float64Array.from({ length: 5000 }, draw).sort();
        const edges = Float64Array.from({ length: bins - 1 }, (_, i) => sample[Math.floor(((i + 1) * sample.length) / bins)]);
        const lookup = new BinLookup(edges);
        const values = [...probes(edges), ...Array.from({ length: bins > 100 ? 300 : 2000 }, draw)];
        for (const v of values) expect(lookup.bin(v), `${shape}, ${bins} bins, v = ${v}`).toBe(below(edges, v));
      }
    }
  });

  it('agrees with the definition for any sorted edges, repeated ones and huge spans included', () => {
    const value = fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -5, max: 5 }).map((n) => n / 2));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), fc.array(value, { maxLength: 20 }), (raw, extra) => {
        const edges = Float64Array.from(raw).sort();
        const lookup = new BinLookup(edges);
        for (const v of [...probes(edges), ...extra]) expect(lookup.bin(v)).toBe(below(edges, v));
      }),
      { numRuns: 2000 },
    );
  });

  it('with no edges, or all edges equal, still counts exactly', () => {
    expect(new BinLookup(new Float64Array(0)).bin(42)).toBe(0);
    const same = new BinLookup(Float64Array.from([3, 3, 3]));
    expect([2, 3, 4].map((v) => same.bin(v))).toEqual([0, 0, 3]);
  });
});
