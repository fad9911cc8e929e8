/**
 * The example Alertmanager configs, proven with the real amtool: they load, severities route to the
 * intended receivers, and the PagerDuty templates map our severities onto PagerDuty's four values
 * and never leave the source blank.
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

describe.each([
  ['alertmanager.yml', MAIN_CONFIG, { critical: 'pagerduty', warning: 'retraining-webhook', info: 'default' }],
  ['alertmanager-slack.yml', SLACK_CONFIG, { critical: 'pagerduty', warning: 'warning-webhook-and-slack', info: 'slack-info' }],
])('%s', (_name, config, receivers: Record<string, string>) => {
  it('passes amtool check-config, templates included', () => {
    const r = runTool(requireBinary('amtool'), ['check-config', config]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
    expect(r.output).toContain('1 templates');
  });

  it.each(['critical', 'warning', 'info'])('routes severity=%s to its receiver', (severity) => {
    expect(routeOf(config, { severity, alertname: 'ModelwatchSomething', model: 'churn' })).toBe(receivers[severity]);
  });

  it('routes every shipped alert by its severity', () => {
    for (const a of allAlerts()) {
      const severity = a.labels?.severity ?? '';
      expect(routeOf(config, { alertname: a.alert, severity, model: 'churn', instance: 'a:9847' }), a.alert).toBe(
        receivers[severity],
      );
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

  it('groups by model and alert name', () => {
    expect(config.route.group_by).toEqual(['model', 'alertname']);
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
      equal: ['instance'],
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

  it('uses the instance as PagerDuty source, and modelwatch when the group has none', () => {
    expect(render('{{ template "modelwatch.pagerduty.source" . }}', { instance: 'model-a:9847' })).toBe('model-a:9847');
    expect(render('{{ template "modelwatch.pagerduty.source" . }}', { alertname: 'ModelwatchAbsent' })).toBe('modelwatch');
  });

  it('links the runbook, falling back to the alert index, and the model dashboard', () => {
    const runbook = 'https://github.com/modelwatch/modelwatch/blob/main/docs/runbooks/ModelwatchDown.md';
    expect(render('{{ template "modelwatch.runbook_url" . }}', {}, { runbook_url: runbook })).toBe(runbook);
    expect(render('{{ template "modelwatch.runbook_url" . }}', {})).toBe('https://github.com/modelwatch/modelwatch/blob/main/docs/alerts.md');
    expect(render('{{ template "modelwatch.dashboard_url" . }}', { model: 'churn model' })).toBe(
      'https://grafana.example.com/d/modelwatch-overview/model-overview?var-model=churn+model',
    );
  });
});
