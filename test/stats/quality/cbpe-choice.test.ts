/**
 * CBPE's calibration choice (cross-validated top-label ECE on the reference) and the multiclass
 * one-vs-rest estimator, on real classifiers' scores (test/fixtures/quality/cbpe.json,
 * scripts/gen_cbpe_fixtures.py) and on synthetic scores that are calibrated by construction.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateBinaryPerformance } from '../../../src/stats/quality/cbpe.js';
import { estimateMulticlassPerformance } from '../../../src/stats/quality/cbpe-multiclass.js';
import { chooseCalibration, expectedCalibrationError } from '../../../src/stats/quality/calibration-choice.js';
import { mulberry32 } from '../../../src/stats/random.js';

interface ModelScores {
  referenceLabels: number[];
  referenceProba: number[][];
  labels: number[];
  proba: number[][];
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'quality', 'cbpe.json'), 'utf8')) as { datasets: Record<string, Record<string, ModelScores>> };

describe('expected calibration error (top label)', () => {
  it('is |accuracy − confidence| per confidence bin, weighted by the bin', () => {
    // Decisions all positive; confidence 0.95 with 1 of 2 correct, 0.65 with 2 of 2 correct.
    const ece = expectedCalibrationError([0.95, 0.95, 0.65, 0.65], [1, 0, 1, 1], [1, 1, 1, 1])!;
    expect(ece).toBeCloseTo((2 / 4) * Math.abs(0.5 - 0.95) + (2 / 4) * Math.abs(1 - 0.65), 12);
    // A negative decision's confidence is 1 − p.
    expect(expectedCalibrationError([0.1], [0], [0])).toBeCloseTo(0.1, 12);
  });
});

describe('choosing whether CBPE calibrates', () => {
  it('keeps scores that are calibrated by construction', () => {
    const rand = mulberry32(9);
    const scores = Float64Array.from({ length: 2000 }, () => rand());
    const labels = Float64Array.from(scores, (s) => (rand() < s ? 1 : 0));
    const choice = chooseCalibration(scores, labels)!;
    expect(choice.calibrated).toBe(false);
    expect(choice.calibration).toBeUndefined();
  });

  it('calibrates an over-confident model: naive Bayes on breast_cancer, whose raw CBPE accuracy is 4× further off', () => {
    const m = fixture.datasets.breast_cancer.naive_bayes;
    const choice = chooseCalibration(m.referenceProba.map((r) => r[1]), m.referenceLabels)!;
    expect(choice.calibrated).toBe(true);
    expect(choice.calibratedEce).toBeLessThan(choice.rawEce);
    const scores = m.proba.map((r) => r[1]);
    const realized = m.labels.filter((y, i) => (scores[i] >= 0.5 ? 1 : 0) === y).length / m.labels.length;
    const raw = estimateBinaryPerformance(scores)!.accuracy;
    const calibrated = estimateBinaryPerformance(scores, { calibration: choice.calibration })!.accuracy;
    expect(Math.abs(calibrated - realized)).toBeLessThan(Math.abs(raw - realized) / 2);
  });

  it('needs two of each class', () => {
    expect(chooseCalibration([0.2, 0.7, 0.9], [1, 1, 1])).toBeUndefined();
  });
});

describe('multiclass CBPE, one-vs-rest', () => {
  it('equals the binary estimate for two classes whose scores add up to one', () => {
    const m = fixture.datasets.breast_cancer.weak;
    const s1 = m.proba.map((r) => r[1]);
    const multi = estimateMulticlassPerformance([m.proba.map((r) => r[0]), s1])!;
    const binary = estimateBinaryPerformance(s1)!;
    expect(multi.accuracy).toBeCloseTo(binary.accuracy, 12);
    expect(multi.perClass[1].f1).toBeCloseTo(binary.f1, 12);
    expect(multi.perClass[1].rocAuc).toBeCloseTo(binary.rocAuc!, 12);
  });

  it('recovers realized accuracy and macro F1 when labels are drawn from the scores', () => {
    const rand = mulberry32(3);
    const n = 20_000;
    const scores = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const raw = [rand() + 0.2, rand(), rand() * 2];
      const total = raw[0] + raw[1] + raw[2];
      for (let c = 0; c < 3; c++) scores[c][i] = raw[c] / total;
      const u = rand();
      labels[i] = u < scores[0][i] ? 0 : u < scores[0][i] + scores[1][i] ? 1 : 2;
    }
    const e = estimateMulticlassPerformance(scores)!;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const predicted = [0, 1, 2].reduce((b, c) => (scores[c][i] > scores[b][i] ? c : b), 0);
      if (predicted === labels[i]) correct++;
    }
    expect(Math.abs(e.accuracy - correct / n)).toBeLessThan(0.01);
    expect(e.perClass).toHaveLength(3);
    expect(e.macroRocAuc).toBeGreaterThan(0.5);
  });

  it('uses the logged prediction when there is one, and gives undefined for an empty chunk', () => {
    const e = estimateMulticlassPerformance([[0.7, 0.2], [0.3, 0.8]], { predicted: [1, 1] })!;
    // Both predicted class 1: expected accuracy = (0.3 + 0.8)/2.
    expect(e.accuracy).toBeCloseTo(0.55, 12);
    expect(estimateMulticlassPerformance([[], []])).toBeUndefined();
  });
});
