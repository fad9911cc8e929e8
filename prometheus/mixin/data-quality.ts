/**
 * Data-quality issues per checked record, per deployment, model, version, feature and issue, summed
 * over replicas. Only the whole-model series count: `modelwatch_data_quality_issues_total` repeats
 * every issue under `segment="<field>=<value>"` when segments are configured, and summing those in
 * would count each issue twice.
 */
import type { MixinConfig } from './config.js';
import { IN_NAMESPACE, percent, promql, prose, seconds } from './promql.js';
import type { AlertSpec, GroupSpec } from './rules.js';

export function dataQualityRecording(config: MixinConfig): GroupSpec {
  const p = promql(config);
  const r = config.dataQuality.range;
  return {
    name: 'modelwatch-data-quality-ratios',
    comment: `Issues per checked record over ${r}: a feature with issue="missing" at 0.2 was missing in one record out of five.`,
    rules: [
      { record: `modelwatch:data_quality_records:rate${r}`, expr: `sum by (${p.by('model', 'version')}) (rate(${p.sel('modelwatch_data_quality_records_total')}[${r}]))` },
      {
        record: `modelwatch:data_quality_issues:ratio_rate${r}`,
        expr: `
          sum by (${p.by('model', 'version', 'feature', 'issue')}) (rate(${p.sel('modelwatch_data_quality_issues_total', 'segment=""')}[${r}]))
          / on (${p.by('model', 'version')}) group_left ()
          modelwatch:data_quality_records:rate${r}
        `,
      },
    ],
  };
}

interface IssueAlert {
  alert: string;
  issues: readonly string[];
  ratio: number;
  summary: string;
  what: string;
}

function issueAlert(a: IssueAlert, config: MixinConfig): AlertSpec {
  const p = promql(config);
  const dq = config.dataQuality;
  const matcher = a.issues.length === 1 ? `issue="${a.issues[0]}"` : `issue=~"${a.issues.join('|')}"`;
  return {
    alert: a.alert,
    severity: 'warning',
    team: 'ml',
    expr: `
      modelwatch:data_quality_issues:ratio_rate${dq.range}{${matcher}} > ${a.ratio}
      and on (${p.by('model', 'version')})
      modelwatch:data_quality_records:rate${dq.range} * ${seconds(dq.range)} >= ${dq.minRecords}
    `,
    for: dq.for,
    summary: a.summary,
    description: `
      Feature "{{ $labels.feature }}" ${a.what} in {{ $value | humanizePercentage }} of the records of
      {{ $labels.model }} {{ $labels.version }}${IN_NAMESPACE} over the last
      ${prose(dq.range)}, all replicas, for ${prose(dq.for)} (threshold ${percent(a.ratio)}, at least ${dq.minRecords} records).`,
  };
}

export function dataQualityAlerts(config: MixinConfig): GroupSpec {
  const dq = config.dataQuality;
  return {
    name: 'modelwatch-data-quality',
    comment: `Issue ratios (modelwatch-data-quality-ratios); minimum traffic ${dq.minRecords} records in ${dq.range}.`,
    rules: [
      issueAlert(
        {
          alert: 'ModelwatchMissingValuesSpike',
          issues: ['missing'],
          ratio: dq.missingRatio,
          summary: 'Feature {{ $labels.feature }} of {{ $labels.model }} is missing in {{ $value | humanizePercentage }} of records',
          what: 'was missing',
        },
        config,
      ),
      issueAlert(
        {
          alert: 'ModelwatchOutOfRangeSpike',
          issues: ['out_of_range'],
          ratio: dq.outOfRangeRatio,
          summary: 'Feature {{ $labels.feature }} of {{ $labels.model }} is out of range in {{ $value | humanizePercentage }} of records',
          what: 'was outside the range seen in the reference data',
        },
        config,
      ),
      issueAlert(
        {
          alert: 'ModelwatchNewCategorySpike',
          issues: ['new_category'],
          ratio: dq.newCategoryRatio,
          summary: 'Feature {{ $labels.feature }} of {{ $labels.model }} has unseen categories in {{ $value | humanizePercentage }} of records',
          what: 'carried a category absent from the reference data',
        },
        config,
      ),
      issueAlert(
        {
          alert: 'ModelwatchSchemaViolations',
          issues: ['type_mismatch', 'non_finite', 'unexpected_feature'],
          ratio: dq.schemaViolationRatio,
          summary: 'Feature {{ $labels.feature }} of {{ $labels.model }}: {{ $labels.issue }} in {{ $value | humanizePercentage }} of records',
          what: 'had issue "{{ $labels.issue }}"',
        },
        config,
      ),
    ],
  };
}
