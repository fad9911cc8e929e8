/**
 * The rule files the mixin writes, and the groups each holds, in one explicit list. Recording
 * groups live in modelwatch-recording.yml, alert groups in modelwatch-alerts.yml.
 */
import type { MixinConfig } from './config.js';
import { dataQualityAlerts, dataQualityRecording } from './data-quality.js';
import { driftAlerts, driftRecording } from './drift.js';
import { fleetDriftRecording } from './fleet-drift.js';
import { qualityAlerts, qualityRecording } from './quality.js';
import { resourceAlerts } from './resources.js';
import { renderRuleFile, type RuleFileSpec } from './rules.js';
import { sidecarAlerts } from './sidecar.js';
import { sloAlerts, sloRecording } from './slo.js';

const GENERATED = 'Generated from prometheus/mixin.config.json by prometheus/mixin/*.ts: do not edit. Change the config (or the builders) and run `npm run k8s:rules`.';

export function ruleFileSpecs(config: MixinConfig): RuleFileSpec[] {
  return [
    {
      file: 'modelwatch-alerts.yml',
      header: `
        modelwatch alerting rules.

        ${GENERATED}

        Every alert carries a severity label (critical pages, warning is a ticket, info is for
        dashboards) and a team label (ml: model, data and labels; platform: sidecar, serving and
        machines); Alertmanager routes on both (prometheus/alertmanager.yml). Every alert has summary,
        description and runbook_url annotations; each runbook is docs/runbooks/<alertname>.md.
        Thresholds, windows and the reasons for them: docs/alerts.md.

        Needs the recording rules in modelwatch-recording.yml.`,
      groups: [sidecarAlerts(config), sloAlerts(config), driftAlerts(config), qualityAlerts(config), dataQualityAlerts(config), resourceAlerts(config)],
    },
    {
      file: 'modelwatch-recording.yml',
      header: `
        modelwatch recording rules.

        ${GENERATED}

        Names follow level:metric:operations. "modelwatch:" is the level for series aggregated over the
        replicas of a deployment: they keep ${config.deploymentLabels.join(', ')} and drop ${config.replicaLabels.join(', ')}.`,
      groups: [sloRecording(config), dataQualityRecording(config), driftRecording(config), qualityRecording(config), fleetDriftRecording(config)],
    },
  ];
}

/** File name → the exact text the rule file should hold. */
export function renderRuleFiles(config: MixinConfig): Map<string, string> {
  return new Map(ruleFileSpecs(config).map((spec) => [spec.file, renderRuleFile(spec, config)]));
}
