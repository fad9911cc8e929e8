/**
 * The page at `/`: what this is, a link to /metrics, and the live state of every source.
 * Everything that came from logs or config is escaped.
 */
import { escapeHtml } from './html.js';

export interface LandingStatus {
  version: string;
  ready: boolean;
  startedAt: number;
  sources: { name: string; lines: number; records: number; errors: number; lagBytes?: number }[];
  analyzers: string[];
}

export function renderLandingPage(s: LandingStatus, now = Date.now()): string {
  const rows = s.sources
    .map(
      (src) =>
        `<tr><td>${escapeHtml(src.name)}</td><td>${src.lines}</td><td>${src.records}</td><td>${src.errors}</td><td>${src.lagBytes ?? ''}</td></tr>`,
    )
    .join('\n');
  const uptime = Math.round((now - s.startedAt) / 1000);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>modelwatch</title>
<meta http-equiv="refresh" content="10">
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>modelwatch</h1>
<p>ML model-monitoring sidecar ${escapeHtml(s.version)} &mdash; ${s.ready ? 'ready' : 'starting'}, up ${uptime} s.</p>
<ul>
<li><a href="metrics">/metrics</a> (Prometheus text 0.0.4 or OpenMetrics 1.0)</li>
<li><a href="-/healthy">/-/healthy</a> and <a href="-/ready">/-/ready</a></li>
</ul>
<h2>Sources</h2>
<table><tr><th>source</th><th>lines</th><th>records</th><th>line errors</th><th>lag bytes</th></tr>
${rows}
</table>
<h2>Analyzers</h2>
<p>${s.analyzers.map(escapeHtml).join(', ')}</p>
</body></html>
`;
}
