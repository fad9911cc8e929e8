import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
const ds = { type: 'prometheus', uid: '${datasource}' };
const d = new dashboard.DashboardBuilder('X').uid('x').tags(['a']).refresh('30s').time({from:'now-1h',to:'now'})
 .withVariable(new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
 .withVariable(new dashboard.QueryVariableBuilder('model').query('label_values(modelwatch_requests_total, model)').datasource(ds).refresh(dashboard.VariableRefresh.OnTimeRangeChanged).multi(true).includeAll(true))
 .withRow(new dashboard.RowBuilder('Traffic'))
 .withPanel(new timeseries.PanelBuilder().title('Req').datasource(ds).unit('reqps').withTarget(new prometheus.DataqueryBuilder().expr('sum(rate(x[$__rate_interval]))').legendFormat('{{model}}')).height(8).span(12))
 .withPanel(new stat.PanelBuilder().title('S').withTarget(new prometheus.DataqueryBuilder().expr('1').instant()).height(8).span(12))
 .withPanel(new stat.PanelBuilder().title('S2').withTarget(new prometheus.DataqueryBuilder().expr('1').instant()).height(8).span(12));
console.log(JSON.stringify(d.build(), null, 1));
