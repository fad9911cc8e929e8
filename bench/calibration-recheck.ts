/**
 * `npm run bench:calibration-recheck`: the false-alarm rate of `auto` thresholds measured with one
 * window per reference, so every window brings a fresh reference and the windows are independent.
 * bench:calibration gives each reference 4 windows (200-row references) at every window size, so
 * a cell's 2 000 windows hold 500 references and the cells of one feature share them; at 10 000-row
 * windows against a 200-row reference, whose verdict the reference almost fixes, a cell is then a
 * binomial count over 500 references (standard error 0.0045 at α = 0.01), and its methods' and
 * sizes' cells rise and fall together. This recheck asks the same question of the same data
 * (flights-3m, rows drawn at random into reference and window) with R independent references.
 *
 * Flags: --feature delay (name prefix), --refs 200, --references 1000, --windows 1000,10000,
 * --seed 5151. Methods: the four binned distances (`auto`, production scorer, K = 2000, C = 2000).
 *
 * --pivot PAIRS instead prints the distribution of the prepivoted value u of `psi`
 * (calibration-scale.ts) for PAIRS (reference, window) pairs drawn from the population, and for
 * PAIRS pairs drawn as calibration draws them, with replacement from 30 references (PAIRS/30 each):
 * the fraction of u below 0.01, 0.02, 0.05, 0.1, 0.5 (uniform: the chi-squared law holds).
 */
import { join } from 'node:path';
import { countNumeric } from '../src/stats/binning.js';
import { calibratedThreshold } from '../src/stats/calibration-scale.js';
import { DriftScorer } from '../src/stats/drift-scorer.js';
import { PsiMethod, psi } from '../src/stats/methods/psi.js';
import { toProportions } from '../src/stats/proportions.js';
import { calibrationValue } from '../src/stats/calibration-scale.js';
import { quantileEdges } from '../src/stats/quantile-edges.js';
import { mulberry32 } from '../src/stats/random.js';
import { sortedFloat64 } from '../src/stats/sort.js';
import { ALPHAS, flightsFeatures } from './calibration/false-alarms.js';

const DATA = join(import.meta.dirname, '..', 'node_modules', 'vega-datasets', 'data');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const featureName = flag('feature', 'delay');
const referenceSize = Number(flag('refs', '200'));
const references = Number(flag('references', '1000'));
const windowSizes = flag('windows', '1000,10000').split(',').map(Number);
const seed = Number(flag('seed', '5151'));
const METHODS = ['psi', 'kl_divergence', 'jensen_shannon', 'hellinger'] as const;

const { rows, features } = await flightsFeatures(join(DATA, 'flights-3m.parquet'));
const feature = features.find((f) => f.name.startsWith(featureName) && f.type === 'numeric');
if (!feature) throw new Error(`no numeric feature ${featureName}`);
const rand = mulberry32(seed);
const draw = (n: number) => sortedFloat64(Array.from({ length: n }, () => feature.values(Math.floor(rand() * rows)) as number));
const pivotPairs = Number(flag('pivot', '0'));
if (pivotPairs > 0) {
  const u = (ref: Float64Array, cur: Float64Array) => {
    const edges = quantileEdges(ref, 10);
    const rc = countNumeric(edges, ref);
    const result = psi(toProportions(rc), toProportions(countNumeric(edges, cur)));
    return -calibrationValue(PsiMethod, result, { bins: rc.length, refTotal: ref.length, curTotal: cur.length });
  };
  const show = (name: string, us: number[]) => console.log(`| ${name} | ${[0.01, 0.02, 0.05, 0.1, 0.5].map((a) => (us.filter((x) => x < a).length / us.length).toFixed(4)).join(' | ')} | ${us.length} |`);
  console.log(`${feature.name}, n_ref ${referenceSize}: P(u < a) for psi's prepivoted u\n`);
  console.log('| drawn from | window | 0.01 | 0.02 | 0.05 | 0.1 | 0.5 | pairs |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const n of windowSizes) {
    show(`population | ${n}`, Array.from({ length: pivotPairs }, () => u(draw(referenceSize), draw(n))));
    const boot: number[] = [];
    for (let r = 0; r < 30; r++) {
      const ref = draw(referenceSize);
      const resample = (k: number) => sortedFloat64(Array.from({ length: k }, () => ref[Math.floor(rand() * ref.length)]));
      for (let i = 0; i < Math.round(pivotPairs / 30); i++) boot.push(u(resample(referenceSize), resample(n)));
    }
    show(`30 references, with replacement | ${n}`, boot);
  }
  process.exit(0);
}
// alarms[size][method][alpha]
const alarms = windowSizes.map(() => METHODS.map(() => ALPHAS.map(() => 0)));
const started = Date.now();
/** The table so far: printed every 100 references (a long run can be read before it ends), and at the end. */
function report(done: number): void {
  const cell = (count: number) => {
    const p = count / done;
    const se = Math.sqrt((p * (1 - p)) / done);
    return `${p.toFixed(4)} (${Math.max(0, p - 1.96 * se).toFixed(4)}–${(p + 1.96 * se).toFixed(4)})`;
  };
  const lines = [
    `${feature!.name}, n_ref ${referenceSize}: ${done} references × 1 window each; rate at α = 0.01 / 0.05 (95 % binomial interval) [${((Date.now() - started) / 1000).toFixed(0)} s]\n`,
    `| window | ${METHODS.join(' | ')} |`,
    `| ---: | ${METHODS.map(() => '---').join(' | ')} |`,
    ...windowSizes.map((n, s) => `| ${n} | ${METHODS.map((_, j) => ALPHAS.map((__, a) => cell(alarms[s][j][a])).join(' / ')).join(' | ')} |`),
  ];
  console.log(lines.join('\n') + '\n');
}
for (let r = 0; r < references; r++) {
  const ref = draw(referenceSize);
  const population = { type: 'numeric' as const, values: ref, bins: 10, referenceSize };
  const scorer = new DriftScorer('numeric', { primary: 'psi', thresholds: Object.fromEntries(METHODS.map((m) => [m, 'auto'])), calibration: () => population });
  const edges = quantileEdges(ref, 10);
  const refCounts = countNumeric(edges, ref);
  windowSizes.forEach((n, s) => {
    const calibrated = scorer.calibrate(n, ALPHAS, 11 + 7 * r + n)!;
    const cur = draw(n);
    const score = scorer.score({ refCounts, curCounts: countNumeric(edges, cur), refTotal: referenceSize, curTotal: n, refSorted: ref, curSorted: () => cur });
    const comparison = { bins: score.bins, refTotal: referenceSize, curTotal: n };
    calibrated.methods.forEach((method, j) => {
      const value = score.methods.find((x) => x.method.name === method.name)!.result!.value;
      ALPHAS.forEach((_, a) => {
        if (value >= calibratedThreshold(method, calibrated.calibration.thresholds[j][a], comparison)) alarms[s][METHODS.indexOf(method.name as (typeof METHODS)[number])][a]++;
      });
    });
  });
  if ((r + 1) % 100 === 0) report(r + 1);
}
if (references % 100 !== 0) report(references);
