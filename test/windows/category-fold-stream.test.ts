/**
 * `drift.min_category_count` reaches the streaming scorer: the drift analyzer's chi_squared is the
 * two-sample test on the table folded by pooled counts (a category keeps its bin when
 * m · min(R, C) / N ≥ min_category_count, the rest share one), computed here independently of
 * src/stats/category-fold.ts from the counts the test fed.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DriftAnalyzer } from '../../src/analyzers/drift.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';

const REFERENCE = { a: 200, b: 150, c: 40, d: 6, e: 3, f: 1 };
const WINDOW = { a: 90, b: 80, c: 20, d: 5, e: 1, g: 4 };

/** The category names in a deterministic interleaved order (no run of one category). */
function stream(counts: Record<string, number>): string[] {
  const left = { ...counts };
  const out: string[] = [];
  while (Object.values(left).some((n) => n > 0)) {
    for (const k of Object.keys(left)) if (left[k] > 0) { out.push(k); left[k]--; }
  }
  return out;
}

/** Pearson's X² of the 2×K table after folding by pooled counts, as the config's rule says. */
function foldedChiSquared(ref: Record<string, number>, cur: Record<string, number>, minCount: number): number {
  const names = [...new Set([...Object.keys(ref), ...Object.keys(cur)])];
  const R = Object.values(ref).reduce((a, b) => a + b, 0);
  const C = Object.values(cur).reduce((a, b) => a + b, 0);
  const N = R + C;
  const rows: Array<[number, number]> = [];
  const rest: [number, number] = [0, 0];
  for (const k of names) {
    const r = ref[k as keyof typeof ref] ?? 0;
    const c = cur[k as keyof typeof cur] ?? 0;
    if (((r + c) * Math.min(R, C)) / N >= minCount) rows.push([r, c]);
    else { rest[0] += r; rest[1] += c; }
  }
  if (rest[0] + rest[1] > 0) rows.push(rest);
  let x2 = 0;
  for (const [r, c] of rows) {
    const m = r + c;
    x2 += (r - (m * R) / N) ** 2 / ((m * R) / N) + (c - (m * C) / N) ** 2 / ((m * C) / N);
  }
  return x2;
}

async function streamedChiSquared(minCategoryCount: number): Promise<number> {
  const registry = new Registry();
  const config = configSchema.parse({
    reference: { warmup_records: 400 },
    drift: { windows: [{ count: 200 }], min_samples: 50, methods: ['chi_squared'], min_category_count: minCategoryCount },
    features: [{ name: 'color', type: 'categorical' }],
  });
  const analyzer = new DriftAnalyzer({ config, registry, clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true });
  const values = [...stream(REFERENCE), ...stream(WINDOW)];
  values.forEach((color, i) => analyzer.onRecord({ timestamp: 1_700_000_000 + i, model: 'm', version: 'v', features: { color }, prediction: 0 }));
  analyzer.tick(0);
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith('modelwatch_feature_drift_score{') && l.includes('feature="color"') && l.includes('method="chi_squared"'));
  expect(line, 'a chi_squared score for color').toBeDefined();
  return Number(line!.split(' ').at(-1));
}

describe('min_category_count in the streaming drift analyzer', () => {
  for (const minCount of [5, 1]) {
    it(`min_category_count ${minCount}: chi_squared is X² of the table folded by pooled counts`, async () => {
      const got = await streamedChiSquared(minCount);
      const expected = foldedChiSquared(REFERENCE, WINDOW, minCount);
      expect(Math.abs(got - expected), `${got} vs ${expected}`).toBeLessThanOrEqual(1e-9 * expected);
    });
  }

  it('folding changes the verdict input: the two settings give different statistics', async () => {
    expect(foldedChiSquared(REFERENCE, WINDOW, 5)).not.toBeCloseTo(foldedChiSquared(REFERENCE, WINDOW, 1), 3);
    expect(await streamedChiSquared(5)).not.toBeCloseTo(await streamedChiSquared(1), 3);
  });
});
