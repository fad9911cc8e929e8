/**
 * The example Alertmanager configs, proven with the real amtool: they load, severity and team route
 * to the intended receivers (pages to PagerDuty, ML tickets to the ML webhook, platform alerts to
 * the platform receiver), and the PagerDuty templates map our severities onto PagerDuty's four
 * values and never leave the source blank.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { allAlerts, PROMETHEUS_DIR, readYaml, runTool } from './rule-files.js';

const MAIN_CONFIG = join(PROMETHEUS_DIR, 'alertmanager.yml');
const SLACK_CONFIG = join(PROMETHEUS_DIR, 'alertmanager-slack.yml');
const TEMPLATES = join(PROMETHEUS_DIR, 'alertmanager-templates', '*.tmpl');

/** The receiver amtool picks for a label set. */
function routeOf(config: string, labels: Record<string, string>): string {
  const args = ['config', 'routes', 'test', `--config.file=${config}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
  const r = runTool(requireBinary('amtool'), args);
  expect(r.status, r.output).toBe(0);
  // amtool prints warnings about --alertmanager.url on stderr; the receiver is the last line.
  return r.output.trim().split('\n').filter((l) => !l.startsWith('Warning:')).join(',');
}

type Receivers = Record<'critical' | 'mlWarning' | 'mlInfo' | 'platformWarning' | 'platformInfo' | 'noTeamWarning', string>;

/** Which receiver a (severity, team) pair should reach under each config. */
function expected(receivers: Receivers, severity: string, team: string | undefined): string {
  if (severity === 'critical') return receivers.critical;
  if (team === 'ml') return severity === 'warning' ? receivers.mlWarning : receivers.mlInfo;
  if (team === 'platform') return severity === 'warning' ? receivers.platformWarning : receivers.platformInfo;
  return receivers.noTeamWarning;
}

describe.each([
  [
    'alertmanager.yml',
    MAIN_CONFIG,
    { critical: 'pagerduty', mlWarning: 'retraining-webhook', mlInfo: 'default', platformWarning: 'platform-webhook', platformInfo: 'platform-webhook', noTeamWarning: 'platform-webhook' },
  ],
  [
    'alertmanager-slack.yml',
    SLACK_CONFIG,
    {
      critical: 'pagerduty',
      mlWarning: 'warning-webhook-and-slack',
      mlInfo: 'slack-info',
      platformWarning: 'platform-webhook-and-slack',
      platformInfo: 'platform-webhook-and-slack',
      noTeamWarning: 'platform-webhook-and-slack',
    },
  ],
])('%s', (_name, config, receivers: Receivers) => {
  it('passes amtool check-config, templates included', () => {
    const r = runTool(requireBinary('amtool'), ['check-config', config]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
    expect(r.output).toContain('1 templates');
  });

  it.each([
    ['critical', 'ml'],
    ['critical', 'platform'],
    ['warning', 'ml'],
    ['warning', 'platform'],
    ['info', 'ml'],
    ['info', 'platform'],
  ])('routes severity=%s team=%s to its receiver', (severity, team) => {
    expect(routeOf(config, { severity, team, alertname: 'ModelwatchSomething', model: 'churn' })).toBe(expected(receivers, severity, team));
  });

  it('sends a warning without a team (not a shipped alert) to the platform team, not nowhere', () => {
    expect(routeOf(config, { severity: 'warning', alertname: 'SomeoneElsesAlert' })).toBe(receivers.noTeamWarning);
  });

  it('routes every shipped alert by its severity and team; platform warnings never reach the ML webhook', () => {
    for (const a of allAlerts()) {
      const severity = a.labels?.severity ?? '';
      const team = a.labels?.team;
      const receiver = routeOf(config, { alertname: a.alert, severity, team: team ?? '', model: 'churn', namespace: 'ml-prod', instance: 'a:9847' });
      expect(receiver, a.alert).toBe(expected(receivers, severity, team));
      if (team === 'platform') expect(receiver, a.alert).not.toBe(receivers.mlWarning);
    }
  });
});

describe('alertmanager.yml structure', () => {
  interface AmConfig {
    route: { group_by: string[] };
    receivers: { name: string; pagerduty_configs?: Record<string, unknown>[] }[];
    inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  }
  const config = readYaml<AmConfig>(MAIN_CONFIG);

  it('groups by cluster, namespace, model and alert name', () => {
    expect(config.route.group_by).toEqual(['cluster', 'namespace', 'model', 'alertname']);
  });

  it('pages through PagerDuty Events API v2 with a key file, a mapped severity, a source and links', () => {
    const pd = config.receivers.find((r) => r.name === 'pagerduty')?.pagerduty_configs?.[0];
    expect(pd).toBeDefined();
    expect(pd?.routing_key_file).toBe('/etc/alertmanager/pagerduty-routing-key');
    expect(pd?.service_key).toBeUndefined();
    expect(pd?.severity).toBe('{{ template "modelwatch.pagerduty.severity" . }}');
    expect(pd?.source).toBe('{{ template "modelwatch.pagerduty.source" . }}');
    expect(pd?.client_url).toBeTruthy();
    expect((pd?.links as { text: string }[]).map((l) => l.text)).toEqual(['Runbook', 'Model overview dashboard']);
  });

  it('inhibits every other alert of an instance while its sidecar is down', () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="ModelwatchDown"'],
      target_matchers: ['alertname!="ModelwatchDown"'],
      equal: ['cluster', 'namespace', 'job', 'instance'],
    });
  });
});

describe('notification templates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-am-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  /** Renders a template with alert data shaped like Alertmanager's template.Data. */
  function render(text: string, commonLabels: Record<string, string>, commonAnnotations: Record<string, string> = {}): string {
    const data = join(dir, `data-${n++}.json`);
    const alert = { status: 'firing', labels: commonLabels, annotations: commonAnnotations };
    writeFileSync(
      data,
      JSON.stringify({ receiver: 'pagerduty', status: 'firing', alerts: [alert], groupLabels: {}, commonLabels, commonAnnotations, externalURL: 'http://alertmanager:9093' }),
    );
    const r = runTool(requireBinary('amtool'), ['template', 'render', `--template.glob=${TEMPLATES}`, `--template.data=${data}`, `--template.text=${text}`]);
    expect(r.status, r.output).toBe(0);
    return r.output;
  }
  const severity = (labels: Record<string, string>) => render('{{ template "modelwatch.pagerduty.severity" . }}', labels);

  it.each([
    ['critical', 'critical'],
    ['warning', 'warning'],
    ['info', 'info'],
    // Anything else is mapped, not passed through: PagerDuty rejects unknown severities.
    ['page', 'error'],
    ['CRITICAL', 'error'],
  ])('maps severity %s to PagerDuty %s', (ours, theirs) => {
    expect(severity({ alertname: 'X', severity: ours })).toBe(theirs);
  });

  it('maps a group without a common severity to error', () => {
    expect(severity({ alertname: 'X' })).toBe('error');
  });

  it('uses the instance as PagerDuty source, else the deployment, and modelwatch when the group has neither', () => {
    const source = (labels: Record<string, string>) => render('{{ template "modelwatch.pagerduty.source" . }}', labels);
    expect(source({ instance: 'model-a:9847', namespace: 'ml-prod' })).toBe('model-a:9847');
    expect(source({ alertname: 'ModelwatchDatasetDrift', namespace: 'ml-prod', job: 'modelwatch' })).toBe('ml-prod/modelwatch');
    expect(source({ alertname: 'ModelwatchDatasetDrift', cluster: 'eu-1', namespace: 'ml-prod', job: 'modelwatch' })).toBe('eu-1/ml-prod/modelwatch');
    expect(source({ alertname: 'ModelwatchAbsent' })).toBe('modelwatch');
  });

  it('links the runbook, falling back to the alert index, and the model dashboard', () => {
    const runbook = 'https://github.com/modelwatch/modelwatch/blob/main/docs/runbooks/ModelwatchDown.md';
    expect(render('{{ template "modelwatch.runbook_url" . }}', {}, { runbook_url: runbook })).toBe(runbook);
    expect(render('{{ template "modelwatch.runbook_url" . }}', {})).toBe('https://github.com/modelwatch/modelwatch/blob/main/docs/alerts.md');
    expect(render('{{ template "modelwatch.dashboard_url" . }}', { model: 'churn model' })).toBe(
      'https://grafana.example.com/d/modelwatch-overview/model-overview?orgId=1&var-model=churn+model',
    );
    expect(render('{{ template "modelwatch.dashboard_url" . }}', { cluster: 'eu-1', namespace: 'ml-prod', model: 'churn' })).toBe(
      'https://grafana.example.com/d/modelwatch-overview/model-overview?orgId=1&var-cluster=eu-1&var-namespace=ml-prod&var-model=churn',
    );
  });
});
