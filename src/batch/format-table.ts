/**
 * The `--format table` text: a dataset summary line, then one row per feature, drifted features
 * first and then by the primary method's value (largest first), so the worst drift reads first.
 */
import { DRIFT_METHODS } from '../stats/methods/index.js';
import type { DriftReport, FeatureDriftReport, MethodOutcome } from './drift-report.js';

function number(x: number | undefined): string {
  if (x === undefined) return '-';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(2);
  return x.toFixed(4);
}

function outcomeText(o: MethodOutcome | undefined): string {
  if (o === undefined) return '';
  const shown = o.method.direction === 'distance' ? o.result?.value : o.result?.pValue;
  return `${number(shown)}${o.drifted ? '*' : ''}`;
}

/** The methods any feature ran, in the canonical DRIFT_METHODS order. */
export function methodColumns(features: readonly FeatureDriftReport[]): string[] {
  const used = new Set(features.flatMap((f) => f.methods.map((m) => m.method.name)));
  return DRIFT_METHODS.map((m) => m.name).filter((name) => used.has(name));
}

/** Orders features for display: drifted first, then by primary value descending, then by name. */
export function byDrift(a: FeatureDriftReport, b: FeatureDriftReport): number {
  if (a.drifted !== b.drifted) return a.drifted ? -1 : 1;
  const value = (f: FeatureDriftReport) => f.methods.find((m) => m.method.name === f.primaryMethod)?.result?.value ?? -1;
  return value(b) - value(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function formatTable(report: DriftReport): string {
  const methodNames = methodColumns(report.features);
  const header = ['feature', 'type', 'drifted', 'n_ref', 'n_cur', 'missing', ...methodNames];
  const rows = [...report.features].sort(byDrift).map((f) => [
    f.name,
    f.type,
    f.drifted ? 'YES' : 'no',
    String(f.nReference),
    String(f.nCurrent),
    `${f.missingReference}/${f.missingCurrent}`,
    ...methodNames.map((name) => outcomeText(f.methods.find((m) => m.method.name === name))),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const share = (report.driftShare * 100).toFixed(1);
  const mv = report.multivariate;
  const multivariate = mv
    ? [`Multivariate drift (${mv.method} over ${mv.features.length} features, ${mv.components} components, ${(mv.explainedVariance * 100).toFixed(0)}% of variance): ${mv.drifted ? 'DRIFTED' : 'not drifted'}, score ${number(mv.score)} (reference ${number(mv.referenceMean)}, ${mv.threshold === 'auto' ? `drift above ${number(mv.upper)} (auto)` : `band ${number(mv.lower)}–${number(mv.upper)}`})`]
    : [];
  return [
    `Dataset drift: ${report.drifted ? 'DRIFTED' : 'not drifted'} (${report.driftedFeatures} of ${report.features.length} features, ${share}%)`,
    ...multivariate,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'Distances show the value, tests (ks, chi_squared) the p-value; * = beyond the threshold.',
    ...thresholdLines(report.features, methodNames),
    '',
  ].join('\n');
}

/**
 * The thresholds in force, when any is not the method's default (set in the config, or `auto`:
 * calibrated per feature at the current file's size), one line per feature in the table's order.
 */
function thresholdLines(features: readonly FeatureDriftReport[], methodNames: readonly string[]): string[] {
  if (!features.some((f) => f.methods.some((m) => m.thresholdSource !== 'default'))) return [];
  const rule = (o: MethodOutcome) => {
    const threshold = o.thresholdSource === 'auto' && o.method.direction === 'distance' ? number(o.threshold) : String(o.threshold);
    return `${o.method.name} ${o.method.direction === 'distance' ? '≥' : 'p <'} ${threshold}${o.thresholdSource === 'default' ? '' : ` (${o.thresholdSource})`}`;
  };
  const byMethod = (f: FeatureDriftReport) => methodNames.map((name) => f.methods.find((m) => m.method.name === name)).filter((m): m is MethodOutcome => m !== undefined);
  return ['', 'Thresholds (drifted when):', ...[...features].sort(byDrift).map((f) => `  ${f.name}: ${byMethod(f).map(rule).join(', ')}`)];
}
