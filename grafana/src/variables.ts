/**
 * The template variables. Each is a `label_values()` query over a metric that is always present
 * when its dashboard has data, and each variable only narrows by the ones before it, so the
 * drop-downs fill in order: datasource → cluster → namespace → instance → model → version →
 * window / feature / method. cluster and namespace are "All" (`.*`, which also matches a missing
 * label) on a Prometheus whose series carry neither.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './datasource.js';
import { DEPLOYMENT_MATCHERS, MIXIN, selector, SIDECAR_MATCHERS } from './queries.js';

const BUILD_INFO = 'modelwatch_build_info';
const MODELS = ['model=~"$model"', 'version=~"$version"'];

function labelValues(name: string, label: string, series: string): dashboard.QueryVariableBuilder {
  const query = `label_values(${series}, ${label})`;
  return new dashboard.QueryVariableBuilder(name)
    .datasource(PROMETHEUS)
    .query({ qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

/** Multi-select with "All" matching every value (`.*`), rather than a regex listing them all. */
function multi(v: dashboard.QueryVariableBuilder): dashboard.QueryVariableBuilder {
  return v.multi(true).includeAll(true).allValue('.*').current({ selected: true, text: 'All', value: '$__all' });
}

/** Which cluster, namespace and sidecars: the scope every other variable and query narrows to. */
export function scopeVariables(): dashboard.QueryVariableBuilder[] {
  return [
    multi(labelValues('cluster', 'cluster', selector(BUILD_INFO, ...MIXIN.selector)).label('Cluster')),
    multi(labelValues('namespace', 'namespace', selector(BUILD_INFO, ...MIXIN.selector, 'cluster=~"$cluster"')).label('Namespace')),
    multi(labelValues('instance', 'instance', selector(BUILD_INFO, ...DEPLOYMENT_MATCHERS)).label('Sidecar')),
  ];
}

export function modelVariable(): dashboard.QueryVariableBuilder {
  return multi(labelValues('model', 'model', selector('modelwatch_requests_total', ...SIDECAR_MATCHERS)).label('Model'));
}

export function versionVariable(): dashboard.QueryVariableBuilder {
  return multi(labelValues('version', 'version', selector('modelwatch_requests_total', ...SIDECAR_MATCHERS, 'model=~"$model"')).label('Version'));
}

/** One window at a time: scores of a 5m and a 1h window do not belong on one axis. */
export function windowVariable(): dashboard.QueryVariableBuilder {
  return labelValues('window', 'window', selector('modelwatch_feature_window_samples', ...SIDECAR_MATCHERS, ...MODELS)).label('Window');
}

export function featureVariable(): dashboard.QueryVariableBuilder {
  return multi(labelValues('feature', 'feature', selector('modelwatch_feature_window_samples', ...SIDECAR_MATCHERS, ...MODELS)).label('Feature'));
}

/** The drift method whose scores are plotted; distances and test statistics do not share a scale. */
export function methodVariable(): dashboard.QueryVariableBuilder {
  return labelValues('method', 'method', selector('modelwatch_feature_drift_score', ...SIDECAR_MATCHERS, ...MODELS))
    .label('Drift method')
    .current({ selected: true, text: 'psi', value: 'psi' });
}
