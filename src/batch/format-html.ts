/**
 * The `--format html` report: one self-contained file (inline CSS and SVG, no script, no CDN) with a
 * summary table and, per feature, reference vs current distributions with every method's value.
 * All data-derived text (column names, categories, file names) is HTML-escaped.
 */
import type { DriftReport, FeatureDriftReport, MethodOutcome } from './drift-report.js';
import { byDrift, methodColumns } from './format-table.js';
import { CURRENT_COLOR, REFERENCE_COLOR, distributionChart, escapeHtml } from './html-chart.js';
import { multivariateChart } from './multivariate-chart.js';
import type { MultivariateReport } from './multivariate-report.js';

export interface HtmlContext {
  referenceName: string;
  currentName: string;
  generatedAt: string;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.drift{color:#b00020;font-weight:600}.ok{color:#2e7d32}
section{border-top:1px solid #ccc;margin-top:20px;padding-top:8px}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}`;

function formatNumber(x: number | undefined): string {
  if (x === undefined) return '–';
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e6)) return x.toExponential(3);
  return x.toFixed(4);
}

function methodCell(o: MethodOutcome): string {
  const shown = o.method.direction === 'distance' ? o.result?.value : o.result?.pValue;
  return `<td class="${o.drifted ? 'drift' : ''}">${formatNumber(shown)}</td>`;
}

function methodRows(feature: FeatureDriftReport): string {
  return feature.methods
    .map((o) => {
      const isTest = o.method.direction === 'p_value';
      const value = isTest ? `statistic ${formatNumber(o.result?.value)}, p = ${formatNumber(o.result?.pValue)}` : formatNumber(o.result?.value);
      // A calibrated threshold has many digits; a configured one is shown as written.
      const auto = o.thresholdSource === 'auto';
      const threshold = auto ? formatNumber(o.threshold) : String(o.threshold);
      const rule = `${isTest ? `p &lt; ${threshold}` : `≥ ${threshold}`}${auto ? ' <small>(auto)</small>' : ''}`;
      return `<tr><td>${escapeHtml(o.method.name)}</td><td>${value}</td><td>${rule}</td><td class="${o.drifted ? 'drift' : 'ok'}">${o.drifted ? 'drift' : 'ok'}</td></tr>`;
    })
    .join('');
}

function featureSection(feature: FeatureDriftReport, index: number): string {
  const name = escapeHtml(feature.name);
  return `<section id="f${index}"><h2>${name} <small>(${feature.type})</small> <span class="${feature.drifted ? 'drift' : 'ok'}">${feature.drifted ? 'drifted' : 'no drift'}</span></h2>
<p>reference n = ${feature.nReference} (missing ${feature.missingReference}), current n = ${feature.nCurrent} (missing ${feature.missingCurrent}); primary method ${escapeHtml(feature.primaryMethod)}</p>
<p class="legend"><span style="background:${REFERENCE_COLOR}"></span>reference<span style="background:${CURRENT_COLOR}"></span>current</p>
${distributionChart(feature.bins, `${feature.name}: reference vs current`)}
<table><tr><th>method</th><th>value</th><th>drift when</th><th>verdict</th></tr>${methodRows(feature)}</table></section>`;
}

function multivariateSection(mv: MultivariateReport | undefined): string {
  if (!mv) return '';
  const verdict = `<span class="${mv.drifted ? 'drift' : 'ok'}">${mv.drifted ? 'drifted' : 'no drift'}</span>`;
  return `<section id="multivariate"><h2>Multivariate drift <small>(${escapeHtml(mv.method)})</small> ${verdict}</h2>
<p>Mean reconstruction error of the current rows under the reference's ${mv.components} principal component(s) (${(mv.explainedVariance * 100).toFixed(1)} % of its variance, ${mv.features.length} features): ${mv.score.toFixed(4)}; reference ${mv.referenceMean.toFixed(4)}, ${mv.threshold === 'auto' ? `drift above ${mv.upper.toFixed(4)} (auto: calibrated to the false-alarm rate)` : `band ${mv.lower.toFixed(4)}–${mv.upper.toFixed(4)} (mean ± std_multiplier sd/√n)`}. A change in how the features vary together shows here even when no feature drifts alone.</p>
${multivariateChart(mv)}</section>`;
}

export function formatHtml(report: DriftReport, context: HtmlContext): string {
  const features = [...report.features].sort(byDrift);
  const methodNames = methodColumns(features);
  const summaryRows = features
    .map((f, i) => {
      const cells = methodNames.map((name) => {
        const o = f.methods.find((m) => m.method.name === name);
        return o ? methodCell(o) : '<td></td>';
      });
      return `<tr><td><a href="#f${i}">${escapeHtml(f.name)}</a></td><td>${f.type}</td><td class="${f.drifted ? 'drift' : 'ok'}">${f.drifted ? 'yes' : 'no'}</td>${cells.join('')}</tr>`;
    })
    .join('\n');
  const title = `Drift report: ${context.referenceName} → ${context.currentName}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>Generated ${escapeHtml(context.generatedAt)} by modelwatch drift. Dataset <strong class="${report.drifted ? 'drift' : 'ok'}">${report.drifted ? 'drifted' : 'not drifted'}</strong>: ${report.driftedFeatures} of ${report.features.length} features (${(report.driftShare * 100).toFixed(1)}%).</p>
<table><tr><th>feature</th><th>type</th><th>drifted</th>${methodNames.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>
${summaryRows}</table>
<p>Distances show the value, tests (ks, chi_squared) the p-value; red = beyond the threshold.</p>
${multivariateSection(report.multivariate)}
${features.map(featureSection).join('\n')}
</body></html>
`;
}
