/**
 * The explicit list of dashboards and their file names under grafana/dashboards/. The generator
 * writes them; the staleness test compares them with what is committed.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dataDriftDashboard } from './dashboards/data-drift.js';
import { dataQualityDashboard } from './dashboards/data-quality.js';
import { modelOverviewDashboard } from './dashboards/model-overview.js';
import { modelQualityDashboard } from './dashboards/model-quality.js';
import { resourcesDashboard } from './dashboards/resources.js';
import { sidecarHealthDashboard } from './dashboards/sidecar-health.js';

export interface DashboardFile {
  file: string;
  build: () => dashboard.Dashboard;
}

export const DASHBOARDS: readonly DashboardFile[] = [
  { file: 'model-overview.json', build: modelOverviewDashboard },
  { file: 'data-drift.json', build: dataDriftDashboard },
  { file: 'data-quality.json', build: dataQualityDashboard },
  { file: 'model-quality.json', build: modelQualityDashboard },
  { file: 'resources.json', build: resourcesDashboard },
  { file: 'sidecar-health.json', build: sidecarHealthDashboard },
];

/** The exact bytes each dashboard file should hold. */
export function renderDashboards(): Map<string, string> {
  return new Map(DASHBOARDS.map((d) => [d.file, `${JSON.stringify(d.build(), null, 2)}\n`]));
}
