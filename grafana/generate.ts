/**
 * Writes grafana/dashboards/*.json from the builders in grafana/src (`npm run dashboards`), and
 * removes JSON files there that no builder produces any more. The files are committed; a test
 * fails when they differ from what this would write.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDashboards } from './src/index.js';

export const DASHBOARD_DIR = join(dirname(fileURLToPath(import.meta.url)), 'dashboards');

const rendered = renderDashboards();
mkdirSync(DASHBOARD_DIR, { recursive: true });
for (const [file, text] of rendered) writeFileSync(join(DASHBOARD_DIR, file), text);
for (const file of readdirSync(DASHBOARD_DIR)) {
  if (file.endsWith('.json') && !rendered.has(file)) rmSync(join(DASHBOARD_DIR, file));
}
console.log(`wrote ${rendered.size} dashboards to ${DASHBOARD_DIR}`);
