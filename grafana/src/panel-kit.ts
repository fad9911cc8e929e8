/**
 * Panel constructors with the house defaults (datasource variable, refIds in order, legends as
 * tables, sizes on the 24-column grid). Dashboards call these from one small function per panel.
 */
import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS } from './datasource.js';
import { linkBuilders, type PanelLink } from './links.js';

export interface PanelSpec {
  title: string;
  /** Shown as the panel's (i) tooltip: what the numbers mean and what to do about them. */
  description: string;
  targets: prometheus.DataqueryBuilder[];
  /** A Grafana unit id: s, percentunit, bytes, reqps, short, none… Every panel states one. */
  unit: string;
  /** Drill-downs and runbooks (links.ts). */
  links?: readonly PanelLink[];
  /** Columns out of 24. */
  width?: number;
  height?: number;
}

/** The methods every SDK panel builder shares (each panel type is its own class). */
interface CommonPanelBuilder<T> {
  title(title: string): T;
  description(description: string): T;
  datasource(ref: common.DataSourceRef): T;
  withTarget(target: prometheus.DataqueryBuilder): T;
  span(w: number): T;
  height(h: number): T;
  unit(unit: string): T;
  links(links: dashboard.DashboardLinkBuilder[]): T;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function withSpec<T extends CommonPanelBuilder<T>>(builder: T, spec: PanelSpec): T {
  builder.title(spec.title).description(spec.description).datasource(PROMETHEUS).span(spec.width ?? 12).height(spec.height ?? 8);
  builder.unit(spec.unit);
  if (spec.links?.length) builder.links(linkBuilders(spec.links));
  spec.targets.forEach((t, i) => builder.withTarget(t.refId(REF_IDS[i])));
  return builder;
}

/** Green below `warn`, orange from it, red from `crit`. */
export function thresholds(warn: number, crit: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: warn, color: 'orange' },
    { value: crit, color: 'red' },
  ]);
}

/** Draws the thresholds on a time series as dashed lines (an SLO budget, an alert threshold). */
export function dashedThresholds(): common.GraphThresholdsStyleConfigBuilder {
  return new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed);
}

function tableLegend(): common.VizLegendOptionsBuilder {
  return new common.VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(common.LegendDisplayMode.Table)
    .placement(common.LegendPlacement.Bottom)
    .calcs(['lastNotNull', 'max']);
}

function lastValue(): common.ReduceDataOptionsBuilder {
  return new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);
}

export function timeSeriesPanel(spec: PanelSpec): timeseries.PanelBuilder {
  return withSpec(new timeseries.PanelBuilder(), spec)
    .legend(tableLegend())
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false);
}

export function statPanel(spec: PanelSpec): stat.PanelBuilder {
  return withSpec(new stat.PanelBuilder(), { width: 6, height: 5, ...spec })
    .reduceOptions(lastValue())
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value);
}

export function barGaugePanel(spec: PanelSpec): bargauge.PanelBuilder {
  return withSpec(new bargauge.PanelBuilder(), spec)
    .reduceOptions(lastValue())
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .showUnfilled(true);
}

export function tablePanel(spec: PanelSpec): table.PanelBuilder {
  return withSpec(new table.PanelBuilder(), spec).showHeader(true).filterable(true);
}

/** Bars per category (the x field), from instant queries in table format. */
export function barChartPanel(spec: PanelSpec, xField: string): barchart.PanelBuilder {
  return withSpec(new barchart.PanelBuilder(), spec)
    .xField(xField)
    .orientation(common.VizOrientation.Vertical)
    .showValue(common.VisibilityMode.Never)
    .stacking(common.StackingMode.None)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom));
}

export function stateTimelinePanel(spec: PanelSpec): statetimeline.PanelBuilder {
  return withSpec(new statetimeline.PanelBuilder(), spec).showValue(common.VisibilityMode.Never).mergeValues(true).rowHeight(0.8);
}

/** Maps exact numeric values to text and a colour (state panels). */
export function valueMapping(entries: Record<string, { text: string; color: string }>): dashboard.ValueMapping {
  const options: Record<string, dashboard.ValueMappingResult> = {};
  let index = 0;
  for (const [value, { text, color }] of Object.entries(entries)) options[value] = { text, color, index: index++ };
  return { type: dashboard.MappingType.ValueToText, options };
}

/** Merges the instant-query tables of a panel into one row per shared label set. */
export const MERGE: dashboard.DataTransformerConfig = { id: 'merge', options: {} };

/** Drops the columns a reader does not need in a merged table. */
export function hideColumns(names: readonly string[]): dashboard.DataTransformerConfig {
  return { id: 'organize', options: { excludeByName: Object.fromEntries(names.map((n) => [n, true])) } };
}
