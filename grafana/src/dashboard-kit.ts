/**
 * What every modelwatch dashboard shares: tag, links to its siblings and to the alert index, time
 * range, refresh, the datasource variable first and then the scope (cluster, namespace, sidecar),
 * and annotations for firing modelwatch alerts and, on model dashboards, for a model version's
 * first requests. `finish()` numbers the panels, which the SDK leaves unset and Grafana needs
 * unique per dashboard.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceVariable, PROMETHEUS } from './datasource.js';
import { DEPLOYMENT_MATCHERS, MIXIN, selector } from './queries.js';
import { scopeVariables } from './variables.js';

export const TAG = 'modelwatch';

export interface DashboardSpec {
  /** Stable: links, bookmarks and provisioning all address a dashboard by its uid. */
  uid: string;
  title: string;
  description: string;
  /** After the scope variables (cluster, namespace, instance). */
  variables: dashboard.QueryVariableBuilder[];
  /** A dashboard about models ($model, $version): annotate the first requests of each version. */
  perModel?: boolean;
}

/** The index of every alert with its runbook, next to the runbooks. */
export const ALERTS_DOC_URL = new URL('../alerts.md', MIXIN.runbookUrlBase).href;

/** Every modelwatch alert while it fires, in the picked deployments, plus any extra matchers. */
export function firingAlerts(...extra: readonly string[]): string {
  return selector('ALERTS', 'alertstate="firing"', 'alertname=~"Modelwatch.*"', 'cluster=~"$cluster"', 'namespace=~"$namespace"', ...extra);
}

/**
 * A version's first requests: series of the version now that did not exist 10 minutes ago, so the
 * annotation marks the 10 minutes after a rollout (or a restart that brought the version back).
 */
export const NEW_VERSION_EXPR = (() => {
  const requests = selector('modelwatch_requests_total', ...DEPLOYMENT_MATCHERS, 'model=~"$model"');
  const by = 'count by (cluster, namespace, model, version)';
  return `${by} (${requests}) unless ${by} (${requests} offset 10m)`;
})();

function alertAnnotation(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Firing alerts')
    .datasource(PROMETHEUS)
    .enable(true)
    .iconColor('red')
    .expr(firingAlerts())
    .step('1m')
    .titleFormat('{{alertname}}')
    .textFormat('{{severity}}, team {{team}}: {{namespace}} {{model}} {{version}} {{instance}}')
    .tagKeys('severity,team');
}

function versionAnnotation(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('New model version')
    .datasource(PROMETHEUS)
    .enable(true)
    .iconColor('blue')
    .expr(NEW_VERSION_EXPR)
    .step('1m')
    .titleFormat('{{model}} {{version}}')
    .textFormat('first requests of {{model}} {{version}} in {{namespace}}')
    .tagKeys('model,version');
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
    .link(new dashboard.DashboardLinkBuilder('Alerts and runbooks').type(dashboard.DashboardLinkType.Link).url(ALERTS_DOC_URL).icon('doc').targetBlank(true))
    .annotation(alertAnnotation())
    .withVariable(datasourceVariable());
  if (spec.perModel) builder.annotation(versionAnnotation());
  for (const v of [...scopeVariables(), ...spec.variables]) builder.withVariable(v);
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
