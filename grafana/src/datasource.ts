/**
 * Every panel and query points at the `${datasource}` template variable, never at a fixed uid, so
 * the dashboards import into any Grafana and follow whichever Prometheus the viewer picks.
 */
import type * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export const DATASOURCE_VARIABLE = 'datasource';

export const PROMETHEUS: common.DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Data source')
    .type('prometheus')
    .current({ selected: true, text: 'Prometheus', value: 'prometheus' });
}
