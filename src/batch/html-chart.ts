/**
 * An inline SVG bar chart of one feature's binned distribution: reference and current proportions
 * overlaid per bin. Every label goes through escapeHtml (bin labels are data: category names).
 */
import type { FeatureBins } from './feature-bins.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export const REFERENCE_COLOR = '#4c78a8';
export const CURRENT_COLOR = '#f58518';

/** Beyond this many bins (high-cardinality categories) the chart shows the first ones only. */
export const MAX_CHART_BINS = 40;

export function distributionChart(bins: FeatureBins, title: string): string {
  const n = Math.min(bins.labels.length, MAX_CHART_BINS);
  const ref = bins.reference.map((x) => (bins.referenceTotal > 0 ? x / bins.referenceTotal : 0));
  const cur = bins.current.map((x) => (bins.currentTotal > 0 ? x / bins.currentTotal : 0));
  const top = Math.max(0.01, ...ref, ...cur);
  const slot = Math.max(24, Math.min(60, 640 / Math.max(n, 1)));
  const plotHeight = 160;
  const left = 44;
  const width = left + slot * n + 10;
  const height = plotHeight + 90;
  const y = (p: number) => 10 + plotHeight * (1 - p / top);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<line x1="${left}" y1="${10 + plotHeight}" x2="${width - 10}" y2="${10 + plotHeight}" stroke="#888"/>`,
    `<text x="${left - 4}" y="14" font-size="10" text-anchor="end">${(top * 100).toFixed(0)}%</text>`,
    `<text x="${left - 4}" y="${10 + plotHeight}" font-size="10" text-anchor="end">0%</text>`,
  ];
  // Both bars span the slot and are half transparent, so the two distributions read as overlaid.
  const barWidth = slot - 6;
  for (let i = 0; i < n; i++) {
    const x = left + i * slot + 3;
    const label = escapeHtml(bins.labels[i]);
    const tip = (side: string, p: number, count: number) => `<title>${label} ${side}: ${(p * 100).toFixed(1)}% (${count})</title>`;
    parts.push(
      `<rect x="${x}" y="${y(ref[i]).toFixed(1)}" width="${barWidth}" height="${(10 + plotHeight - y(ref[i])).toFixed(1)}" fill="${REFERENCE_COLOR}" fill-opacity="0.55">${tip('reference', ref[i], bins.reference[i])}</rect>`,
      `<rect x="${x}" y="${y(cur[i]).toFixed(1)}" width="${barWidth}" height="${(10 + plotHeight - y(cur[i])).toFixed(1)}" fill="${CURRENT_COLOR}" fill-opacity="0.55" stroke="${CURRENT_COLOR}">${tip('current', cur[i], bins.current[i])}</rect>`,
      `<text font-size="10" transform="translate(${x + barWidth / 2},${plotHeight + 22}) rotate(40)">${escapeHtml(truncate(bins.labels[i], 18))}</text>`,
    );
  }
  if (bins.labels.length > n) {
    parts.push(`<text x="${width - 10}" y="12" font-size="10" text-anchor="end">first ${n} of ${bins.labels.length} bins</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
