/**
 * `npm run bench:cbpe`: how far CBPE's estimates are from the realized metrics on chunks of real
 * data, with raw scores, always-calibrated scores (isotonic on the reference) and the calibration
 * chosen by the cross-validated ECE check — the table in docs/model-quality.md.
 *
 * Data: test/fixtures/quality/cbpe.json (scripts/gen_cbpe_fixtures.py): breast_cancer and wine,
 * each model's out-of-fold reference scores and its monitoring-half scores with labels. Chunks:
 * consecutive chunks of the monitoring half plus 200 seeded bootstrap chunks (breast_cancer 100
 * rows, wine 50). Error: mean absolute difference between estimate and realized value per chunk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateBinaryPerformance } from '../src/stats/quality/cbpe.js';
import { estimateMulticlassPerformance } from '../src/stats/quality/cbpe-multiclass.js';
import { chooseCalibration } from '../src/stats/quality/calibration-choice.js';
import { accuracy, precisionRecallF1 } from '../src/stats/quality/classification.js';
import { fitIsotonic, type IsotonicCalibration } from '../src/stats/quality/isotonic.js';
import { rocAuc } from '../src/stats/quality/roc-auc.js';
import { mulberry32 } from '../src/stats/random.js';

interface ModelScores {
  referenceLabels: number[];
  referenceProba: number[][];
  labels: number[];
  proba: number[][];
  accuracy: number;
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'quality', 'cbpe.json'), 'utf8')) as { datasets: Record<string, Record<string, ModelScores>> };
const BOOTSTRAP = 200;
const CHUNK: Record<string, number> = { breast_cancer: 100, wine: 50 };
const CONSECUTIVE: Record<string, number> = { breast_cancer: 100, wine: 30 };

type Mode = 'raw' | 'always' | 'chosen';
const MODES: Mode[] = ['raw', 'always', 'chosen'];

/** Chunks as row lists: consecutive ones, then seeded bootstrap draws. */
function chunks(rows: number, consecutive: number, size: number): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < rows; start += consecutive) out.push(Array.from({ length: Math.min(consecutive, rows - start) }, (_, i) => start + i));
  const rand = mulberry32(42);
  for (let b = 0; b < BOOTSTRAP; b++) out.push(Array.from({ length: size }, () => Math.floor(rand() * rows)));
  return out;
}

/** Per class (one-vs-rest): the isotonic calibration each mode uses, and whether `chosen` calibrated. */
function calibrations(m: ModelScores, classes: number): Record<Mode, (IsotonicCalibration | undefined)[]> & { chosenFlags: boolean[] } {
  const always: (IsotonicCalibration | undefined)[] = [];
  const chosen: (IsotonicCalibration | undefined)[] = [];
  const chosenFlags: boolean[] = [];
  for (let c = 0; c < classes; c++) {
    const s = m.referenceProba.map((row) => row[c]);
    const y = m.referenceLabels.map((l) => (l === c ? 1 : 0));
    always.push(fitIsotonic(s, y));
    // The model's decision: the positive score ≥ 0.5 (binary), the argmax (multiclass).
    const decisions = m.referenceProba.map((row) => (classes === 2 ? (row[c] >= 0.5 ? 1 : 0) : row.indexOf(Math.max(...row)) === c ? 1 : 0));
    const choice = chooseCalibration(s, y, { decisions: c === 0 && classes === 2 ? decisions.map((v) => 1 - v) : decisions });
    chosen.push(choice?.calibration);
    chosenFlags.push(choice?.calibrated ?? false);
  }
  return { raw: always.map(() => undefined), always, chosen, chosenFlags };
}

const rows: string[][] = [];
for (const [dataset, models] of Object.entries(fixture.datasets)) {
  for (const [name, m] of Object.entries(models)) {
    const classes = m.proba[0].length;
    const cal = calibrations(m, classes);
    const errors: Record<Mode, number[]> = { raw: [0, 0, 0], always: [0, 0, 0], chosen: [0, 0, 0] };
    const counts = [0, 0, 0];
    const list = chunks(m.labels.length, CONSECUTIVE[dataset], CHUNK[dataset]);
    for (const chunk of list) {
      const y = Float64Array.from(chunk, (i) => m.labels[i]);
      const scores = Array.from({ length: classes }, (_, c) => Float64Array.from(chunk, (i) => m.proba[i][c]));
      let realized: (number | undefined)[];
      if (classes === 2) {
        const pred = Float64Array.from(scores[1], (s) => (s >= 0.5 ? 1 : 0));
        realized = [accuracy(y, pred), precisionRecallF1(y, pred, 2)?.f1[1], rocAuc(y, scores[1])];
      } else {
        const pred = Float64Array.from(chunk, (_, j) => scores.reduce((best, s, c) => (s[j] > scores[best][j] ? c : best), 0));
        const aucs = scores.map((s, c) => rocAuc(Float64Array.from(y, (l) => (l === c ? 1 : 0)), s));
        realized = [accuracy(y, pred), precisionRecallF1(y, pred, classes)?.macroF1, aucs.every((a) => a !== undefined) ? aucs.reduce((a, b) => a! + b!, 0)! / classes : undefined];
      }
      for (const mode of MODES) {
        let estimate: (number | undefined)[];
        if (classes === 2) {
          const e = estimateBinaryPerformance(scores[1], { calibration: cal[mode][1] })!;
          estimate = [e.accuracy, e.f1, e.rocAuc];
        } else {
          const e = estimateMulticlassPerformance(scores, { calibrations: cal[mode] })!;
          estimate = [e.accuracy, e.macroF1, e.macroRocAuc];
        }
        estimate.forEach((v, k) => {
          if (v === undefined || realized[k] === undefined) return;
          errors[mode][k] += Math.abs(v - realized[k]!);
          if (mode === 'raw') counts[k]++;
        });
      }
    }
    for (const mode of MODES) {
      const label = mode === 'chosen' ? `chosen (${cal.chosenFlags.map((f) => (f ? 'calibrated' : 'raw')).join(classes === 2 ? '' : ', ').replace(/^(raw|calibrated)\1?$/, '$1')})` : mode === 'always' ? 'always calibrated' : 'raw';
      rows.push([dataset, `${name} (acc. ${m.accuracy.toFixed(2)})`, classes === 2 ? label.replace(/\((raw|calibrated), (raw|calibrated)\)/, '($2)') : label, ...errors[mode].map((e, k) => (e / counts[k]).toFixed(3))]);
    }
  }
}

console.log(`Mean absolute error of CBPE estimates vs realized metrics (consecutive chunks + ${BOOTSTRAP} bootstrap chunks; binary: F1 of the positive class; multiclass: macro F1, macro one-vs-rest ROC AUC)\n`);
console.log('| data | model | scores | accuracy | F1 | ROC AUC |');
console.log('| --- | --- | --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
