/**
 * The template variables. Each is a `label_values()` query over a metric that is always present
 * when its dashboard has data, and each variable only narrows by the ones before it, so the
 * drop-downs fill in order: datasource → model → version → window / feature / method.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './datasource.js';
import { selector } from './queries.js';

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

export function modelVariable(): dashboard.QueryVariableBuilder {
  return multi(labelValues('model', 'model', 'modelwatch_requests_total').label('Model'));
}

export function versionVariable(): dashboard.QueryVariableBuilder {
  return multi(labelValues('version', 'version', selector('modelwatch_requests_total', 'model=~"$model"')).label('Version'));
}

/** One window at a time: scores of a 5m and a 1h window do not belong on one axis. */
export function windowVariable(): dashboard.QueryVariableBuilder {
  return labelValues('window', 'window', selector('modelwatch_feature_window_samples', 'model=~"$model"', 'version=~"$version"')).label('Window');
}

export function featureVariable(): dashboard.QueryVariableBuilder {
  return multi(
    labelValues('feature', 'feature', selector('modelwatch_feature_window_samples', 'model=~"$model"', 'version=~"$version"')).label('Feature'),
  );
}

/** The drift method whose scores are plotted; distances and test statistics do not share a scale. */
export function methodVariable(): dashboard.QueryVariableBuilder {
  return labelValues('method', 'method', selector('modelwatch_feature_drift_score', 'model=~"$model"', 'version=~"$version"'))
    .label('Drift method')
    .current({ selected: true, text: 'psi', value: 'psi' });
}
