/**
 * What every modelwatch dashboard shares: tag, links to its siblings, time range, refresh, the
 * datasource variable first. `finish()` numbers the panels, which the SDK leaves unset and Grafana
 * needs unique per dashboard.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceVariable } from './datasource.js';

export const TAG = 'modelwatch';

export interface DashboardSpec {
  /** Stable: links, bookmarks and provisioning all address a dashboard by its uid. */
  uid: string;
  title: string;
  description: string;
  variables: dashboard.QueryVariableBuilder[];
}

export function modelwatchDashboard(spec: DashboardSpec): dashboard.DashboardBuilder {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([TAG])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .link(
      new dashboard.DashboardLinkBuilder('modelwatch')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    )
    .withVariable(datasourceVariable());
  for (const v of spec.variables) builder.withVariable(v);
  return builder;
}

/** Builds and numbers the panels 1, 2, … in layout order (rows included). */
export function finish(builder: dashboard.DashboardBuilder): dashboard.Dashboard {
  const built = builder.build();
  let id = 1;
  for (const panel of built.panels ?? []) {
    panel.id = id++;
    if (panel.type === 'row') for (const inner of (panel as dashboard.RowPanel).panels ?? []) inner.id = id++;
  }
  return built;
}
