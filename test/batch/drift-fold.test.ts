/**
 * `modelwatch drift --config`: categorical features are folded by the pooled counts with the
 * config's drift.min_category_count, as the sidecar folds its windows, so a batch run with the
 * sidecar's config reads the sidecar's chi-squared; without --config every category keeps its bin
 * (scipy's chi2_contingency on the whole table). Cars 1970–74 vs 1980–82, Cylinders: 3 and 5
 * cylinders are rare on both sides.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDriftCommand } from '../../src/batch/drift-command.js';
import type { DriftReportJson } from '../../src/batch/format-json.js';
import { captureIo, loadCars, tempDir, writeInputs } from './cars-data.js';

let dir: string;
let inputs: ReturnType<typeof writeInputs>;

async function cylinders(extra: string[]): Promise<{ bins: number; statistic: number; pValue: number }> {
  const { io, out, err } = captureIo();
  const code = await runDriftCommand(['drift', '--reference', inputs.refCsv, '--current', inputs.curCsv, '--categorical', 'Cylinders', '--format', 'json', ...extra], io);
  expect(err()).toBe('');
  expect(code).toBe(0);
  const feature = (JSON.parse(out()) as DriftReportJson).features.find((f) => f.name === 'Cylinders')!;
  const chi = feature.methods.chi_squared as { statistic: number; p_value: number };
  return { bins: feature.bins_compared, statistic: chi.statistic, pValue: chi.p_value };
}

function counts(rows: Record<string, unknown>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) if (r.Cylinders !== null && r.Cylinders !== undefined) out.set(String(r.Cylinders), (out.get(String(r.Cylinders)) ?? 0) + 1);
  return out;
}

/** Pearson's X² of the 2×K table, each category kept when m·min(R, C) ≥ minCount·N, the rest summed. */
function foldedChiSquared(minCount: number): { bins: number; statistic: number } {
  const { reference, current } = loadCars();
  const ref = counts(reference);
  const cur = counts(current);
  const R = [...ref.values()].reduce((a, b) => a + b, 0);
  const C = [...cur.values()].reduce((a, b) => a + b, 0);
  const table: [number, number][] = [];
  const rest: [number, number] = [0, 0];
  for (const k of new Set([...ref.keys(), ...cur.keys()])) {
    const pair: [number, number] = [ref.get(k) ?? 0, cur.get(k) ?? 0];
    if ((pair[0] + pair[1]) * Math.min(R, C) >= minCount * (R + C)) table.push(pair);
    else {
      rest[0] += pair[0];
      rest[1] += pair[1];
    }
  }
  if (rest[0] + rest[1] > 0) table.push(rest);
  let x2 = 0;
  for (const [r, c] of table) {
    const m = r + c;
    const er = (m * R) / (R + C);
    const ec = (m * C) / (R + C);
    x2 += (r - er) ** 2 / er + (c - ec) ** 2 / ec;
  }
  return { bins: table.length, statistic: x2 };
}

beforeAll(() => {
  dir = tempDir();
  inputs = writeInputs(dir);
});

describe('modelwatch drift folds rare categories as the sidecar does', () => {
  it('without --config: every category seen keeps its bin', async () => {
    const plain = await cylinders([]);
    expect(plain.bins).toBe(5); // 3, 4, 5, 6, 8 cylinders
    expect(plain.statistic).toBeCloseTo(foldedChiSquared(0).statistic, 9);
  });

  it.each([5, 20])('with --config and min_category_count %i: X² of the table folded by pooled counts', async (minCount) => {
    const cfg = join(dir, `fold-${minCount}.yaml`);
    writeFileSync(cfg, `drift:\n  min_category_count: ${minCount}\n`);
    const folded = await cylinders(['--config', cfg]);
    const expected = foldedChiSquared(minCount);
    expect(expected.bins).toBeLessThan(5);
    expect(folded.bins).toBe(expected.bins);
    expect(folded.statistic).toBeCloseTo(expected.statistic, 9);
  });

  it('the config default (5) folds too: a batch run with the sidecar config reads its chi-squared', async () => {
    const cfg = join(dir, 'default.yaml');
    writeFileSync(cfg, 'drift:\n  thresholds: {psi: 0.2}\n');
    const folded = await cylinders(['--config', cfg]);
    expect(folded.bins).toBe(foldedChiSquared(5).bins);
    expect(folded.statistic).toBeCloseTo(foldedChiSquared(5).statistic, 9);
  });
});
