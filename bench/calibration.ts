/**
 * `npm run bench:calibration`: are `auto` thresholds calibrated? Prints two markdown tables (the
 * ones in docs/drift-methods.md):
 *   1. false-alarm rates on stationary real data (flights-3m shuffled into reference and stream)
 *      for α = 0.01 and 0.05 at window sizes 100, 1 000, 10 000 and reference sizes 200, 50 000,
 *      beside each method's fixed default threshold; each cell must lie in [α/2, 2α];
 *   2. detection rates on real shifts (Auto MPG by model year, seattle-weather by season).
 * Flags: --scale F multiplies the number of references (default 2: 2 000 references × 4 windows at
 * n_ref 200, 200 × 40 at 50 000, 8 000 windows per cell — the run in docs/drift-methods.md, four
 * processes of 12–33 minutes on the shared 2-core machine; a 200-row reference's own noise makes its
 * windows' verdicts move together, so a cell needs many references, not only many windows);
 * --only false-alarms|detection runs one part; --features delay,origin (name prefixes) and --refs 200
 * restrict the false-alarm part to some features and reference sizes. Everything is seeded: the output is reproducible.
 */
import { join } from 'node:path';
import { DEFAULT_DRIFT_METHOD_NAMES } from '../src/stats/methods/index.js';
import { detectionRates, realShifts, type Detection } from './calibration/detection.js';
import { ALPHAS, AUTO_SUFFIX, clusterInterval, falseAlarms, flightsFeatures, REFERENCE_SIZES, WINDOW_SIZES, type Tally } from './calibration/false-alarms.js';

const DATA = join(import.meta.dirname, '..', 'node_modules', 'vega-datasets', 'data');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const scale = Number(flag('scale') ?? 2);
const only = flag('only');
// Restrict the false-alarm part to some features (comma-separated name prefixes) and reference sizes.
const featureFilter = flag('features')?.split(',');
const refFilter = flag('refs')?.split(',').map(Number);

const SHORT: Record<string, string> = { psi: 'psi', kl_divergence: 'kl', jensen_shannon: 'js', hellinger: 'hellinger', ks: 'ks', wasserstein: 'wasserstein', chi_squared: 'chi²' };
const short = (m: string) => (m.endsWith(AUTO_SUFFIX) ? `${SHORT[m.slice(0, -AUTO_SUFFIX.length)]} auto` : (SHORT[m] ?? m));
const pct = (x: number) => (x * 100).toFixed(1);
const rate = (x: number) => x.toFixed(3);

function plan(referenceSize: number) {
  // Small references vary a lot from one draw to the next: many references, few windows each.
  return referenceSize <= 1000 ? { references: Math.max(10, Math.round(1000 * scale)), windowsPerReference: 4 } : { references: Math.max(2, Math.round(100 * scale)), windowsPerReference: 40 };
}

/** Table columns: every default method, each p-value method followed by its `auto` cut-off. */
function columns(present: (method: string) => boolean): string[] {
  return DEFAULT_DRIFT_METHOD_NAMES.flatMap((m) => [m, `${m}${AUTO_SUFFIX}`]).filter(present);
}

function falseAlarmTable(tallies: Tally[]): string {
  const methods = columns((m) => tallies.some((t) => t.method === m));
  const lines = [
    '| feature | n_ref | window | refs × windows | ' + methods.map(short).join(' | ') + ' |',
    '| --- | ---: | ---: | ---: | ' + methods.map(() => '---').join(' | ') + ' |',
  ];
  const cells = new Map<string, Tally[]>();
  for (const t of tallies) {
    const key = `${t.feature}|${t.referenceSize}|${t.windowSize}`;
    cells.set(key, [...(cells.get(key) ?? []), t]);
  }
  for (const group of cells.values()) {
    const first = group[0];
    const cell = (m: string) => {
      const t = group.find((x) => x.method === m);
      if (!t) return '';
      return `${rate(t.alarms[0] / t.windows)} / ${rate(t.alarms[1] / t.windows)} (${pct(t.fixedAlarms / t.windows)} %)`;
    };
    lines.push(`| ${first.feature} | ${first.referenceSize} | ${first.windowSize} | ${first.references} × ${first.windows / first.references} | ${methods.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Cells within [α/2, 2α]: the issue's cells (distances calibrated, p-values at plain α), then the p-values' `auto` cut-offs apart. */
function verdict(tallies: Tally[]): string {
  const out: string[] = [];
  const count = { plain: [0, 0], auto: [0, 0] };
  for (const t of tallies) {
    const kind = t.method.endsWith(AUTO_SUFFIX) ? count.auto : count.plain;
    ALPHAS.forEach((alpha, a) => {
      kind[1]++;
      const r = t.alarms[a] / t.windows;
      if (r >= alpha / 2 && r <= 2 * alpha) kind[0]++;
      else {
        const [lo, hi] = clusterInterval(t, a);
        out.push(`- outside [α/2, 2α]: ${t.feature}, n_ref ${t.referenceSize}, window ${t.windowSize}, ${t.method}, α ${alpha}: ${rate(r)} (95 % interval over references ${rate(lo)}–${rate(hi)})`);
      }
    });
  }
  return [
    `${count.plain[0]} of ${count.plain[1]} (feature, sizes, method, α) cells within [α/2, 2α] (calibrated distances, p-value methods at plain α); p-value methods with \`auto\` cut-offs: ${count.auto[0]} of ${count.auto[1]}.`,
    ...out,
  ].join('\n');
}

function detectionTable(rows: Detection[]): string {
  const methods = DEFAULT_DRIFT_METHOD_NAMES.filter((m) => rows.some((r) => r.method === m));
  const lines = [
    '| shift | feature | ' + methods.map(short).join(' | ') + ' |',
    '| --- | --- | ' + methods.map(() => '---').join(' | ') + ' |',
  ];
  const groups = new Map<string, Detection[]>();
  for (const r of rows) groups.set(`${r.shift}|${r.feature}`, [...(groups.get(`${r.shift}|${r.feature}`) ?? []), r]);
  for (const group of groups.values()) {
    const cell = (m: string) => {
      const r = group.find((x) => x.method === m);
      return r ? `${pct(r.fixed / r.windows)} · ${pct(r.auto[0] / r.windows)} · ${pct(r.auto[1] / r.windows)}` : '';
    };
    lines.push(`| ${group[0].shift} | ${group[0].feature} | ${methods.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

const started = Date.now();
const log = (text: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${text}\n`);

if (only !== 'detection') {
  const { rows, features } = await flightsFeatures(join(DATA, 'flights-3m.parquet'));
  log(`flights-3m: ${rows} rows`);
  const tallies: Tally[] = [];
  features.forEach((feature, f) => {
    if (featureFilter && !featureFilter.some((prefix) => feature.name.startsWith(prefix))) return;
    for (const referenceSize of REFERENCE_SIZES) {
      if (refFilter && !refFilter.includes(referenceSize)) continue;
      tallies.push(...falseAlarms(rows, feature, referenceSize, plan(referenceSize), 1 + f * 100 + referenceSize));
      log(`${feature.name}, n_ref ${referenceSize} done`);
    }
  });
  tallies.sort((a, b) => a.feature.localeCompare(b.feature) || a.referenceSize - b.referenceSize || a.windowSize - b.windowSize);
  console.log(`## False-alarm rates on stationary data (flights-3m; window sizes ${WINDOW_SIZES.join(', ')})\n`);
  console.log('Each cell: rate at α = 0.01 / rate at α = 0.05 (auto thresholds for distances; for p-values α itself, and in the "auto" column their calibrated cut-off), then (the default fixed threshold\'s rate).\n');
  console.log(falseAlarmTable(tallies));
  console.log(`\n${verdict(tallies)}\n`);
}

if (only !== 'false-alarms') {
  const rows: Detection[] = [];
  for (const shift of realShifts(DATA)) rows.push(...detectionRates(shift, 1000, 7));
  console.log('## Detection rates on real shifts (1 000 windows each)\n');
  console.log('Each cell: % of windows called drifted with the default fixed threshold · auto α = 0.01 · auto α = 0.05.\n');
  console.log(detectionTable(rows));
  log('detection done');
}
