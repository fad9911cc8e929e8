/**
 * The HTML report's multivariate section: the mean reconstruction error of consecutive chunks of
 * the current rows as a line, each chunk's band (reference mean ± 3 sd/√n) shaded, and the
 * reference mean dashed — NannyML's data-reconstruction plot, as one inline SVG.
 */
import { escapeHtml } from './html-chart.js';
import type { MultivariateReport } from './multivariate-report.js';

export function multivariateChart(report: MultivariateReport): string {
  const { chunks } = report;
  const width = 640;
  const height = 200;
  const left = 50;
  const top = 10;
  const plotWidth = width - left - 10;
  const plotHeight = height - 50;
  const high = Math.max(...chunks.map((c) => Math.max(c.score, c.upper))) * 1.05;
  const low = Math.min(...chunks.map((c) => Math.min(c.score, c.lower))) * 0.95;
  const x = (i: number) => left + (chunks.length === 1 ? plotWidth / 2 : (i * plotWidth) / (chunks.length - 1));
  const y = (v: number) => top + (plotHeight * (high - v)) / Math.max(1e-12, high - low);
  const band = [...chunks.map((c, i) => `${x(i).toFixed(1)},${y(c.upper).toFixed(1)}`), ...chunks.map((c, i) => `${x(i).toFixed(1)},${y(c.lower).toFixed(1)}`).reverse()].join(' ');
  const line = chunks.map((c, i) => `${x(i).toFixed(1)},${y(c.score).toFixed(1)}`).join(' ');
  const title = `multivariate drift (${report.method}) per chunk of current rows`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<polygon points="${band}" fill="#4c78a8" fill-opacity="0.15"/>`,
    `<line x1="${left}" x2="${width - 10}" y1="${y(report.referenceMean).toFixed(1)}" y2="${y(report.referenceMean).toFixed(1)}" stroke="#4c78a8" stroke-dasharray="4 3"/>`,
    `<polyline points="${line}" fill="none" stroke="#f58518" stroke-width="2"/>`,
    ...chunks.map((c, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(c.score).toFixed(1)}" r="3.5" fill="${c.score > c.upper || c.score < c.lower ? '#b00020' : '#f58518'}"><title>rows ${c.start}–${c.end}: ${c.score.toFixed(4)} (band ${c.lower.toFixed(4)}–${c.upper.toFixed(4)})</title></circle>`),
    `<text x="${left - 4}" y="${top + 10}" font-size="10" text-anchor="end">${high.toPrecision(3)}</text>`,
    `<text x="${left - 4}" y="${top + plotHeight}" font-size="10" text-anchor="end">${low.toPrecision(3)}</text>`,
    `<text x="${left}" y="${height - 20}" font-size="10">first rows</text>`,
    `<text x="${width - 10}" y="${height - 20}" font-size="10" text-anchor="end">last rows</text>`,
    '</svg>',
  ];
  return parts.join('');
}
