/**
 * sklearn's breast_cancer as the repository's quality fixture holds it (test/fixtures/quality/
 * binary.json, scripts/gen_quality_fixtures.py): a logistic regression on a stratified half, its
 * positive-class scores on the other half, for the model on all 30 features ("full", accuracy 0.98)
 * and on two of them ("weak", 0.88), plus the reference half's labels and full-model scores.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Case {
  labels: number[];
  scores: number[];
  referenceLabels: number[];
  referenceScores: number[];
}

export interface BreastCancerData {
  labels: number[];
  fullScores: number[];
  weakScores: number[];
  /** label, prediction (score ≥ 0.5) and score of the reference half, full model. */
  referenceCsv: string;
}

export function loadBreastCancer(): BreastCancerData {
  const path = fileURLToPath(new URL('../../fixtures/quality/binary.json', import.meta.url));
  const { cases } = JSON.parse(readFileSync(path, 'utf8')) as { cases: { full: Case; weak: Case } };
  const { full, weak } = cases;
  const rows = full.referenceLabels.map((label, i) => `${label},${full.referenceScores[i] >= 0.5 ? 1 : 0},${full.referenceScores[i]}`);
  return { labels: full.labels, fullScores: full.scores, weakScores: weak.scores, referenceCsv: ['label,prediction,score', ...rows].join('\n') + '\n' };
}
