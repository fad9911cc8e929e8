/**
 * Panel links: drill-downs to the sibling dashboard with the detail (keeping the time range and the
 * variables both dashboards share) and the runbook of the alert a panel is the evidence for.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { runbookUrl } from './queries.js';

export interface PanelLink {
  title: string;
  url: string;
  /** Runbooks open in a new tab; drill-downs replace the dashboard. */
  external: boolean;
}

/** uid → URL slug of every modelwatch dashboard (grafana/src/index.ts). */
const SLUGS = {
  'modelwatch-overview': 'model-overview',
  'modelwatch-data-drift': 'data-drift',
  'modelwatch-data-quality': 'data-quality',
  'modelwatch-model-quality': 'model-quality',
  'modelwatch-resources': 'resources',
  'modelwatch-sidecar': 'sidecar-health',
} as const;

export type DashboardUid = keyof typeof SLUGS;

/** The scope every dashboard has; model dashboards add model and version. */
export const SCOPE_VARIABLES = ['cluster', 'namespace', 'instance'] as const;
export const MODEL_VARIABLES = [...SCOPE_VARIABLES, 'model', 'version'] as const;

/** A link to another dashboard carrying the time range and `variables` (which both must define). */
export function drillDown(title: string, uid: DashboardUid, variables: readonly string[]): PanelLink {
  const query = ['${__url_time_range}', ...variables.map((v) => `\${${v}:queryparam}`)].join('&');
  return { title, url: `/d/${uid}/${SLUGS[uid]}?${query}`, external: false };
}

export function runbook(alert: string): PanelLink {
  return { title: `Runbook: ${alert}`, url: runbookUrl(alert), external: true };
}

export function linkBuilders(links: readonly PanelLink[]): dashboard.DashboardLinkBuilder[] {
  return links.map((l) =>
    new dashboard.DashboardLinkBuilder(l.title).type(dashboard.DashboardLinkType.Link).url(l.url).targetBlank(l.external).icon(l.external ? 'doc' : 'dashboard'),
  );
}
