/**
 * The paging path end to end with the real binaries: a sidecar tails a log that starts drifting →
 * the real Prometheus (500 ms scrape and evaluation) with the shipped rules → the real Alertmanager
 * with the shipped routing, receiver and templates → a local server standing in for PagerDuty's
 * Events API v2. The trigger must carry what PagerDuty requires (routing key, dedup key, a summary of
 * at most 1024 characters, one of its four severities, a source); a 429 must be retried; when the
 * drift ends, a resolve with the same dedup key must follow.
 *
 * Why the test raises the drift alert's severity: the shipped ModelwatchDatasetDrift is a
 * `warning` of team `ml`, which the shipped routing sends to the retraining webhook, not to
 * PagerDuty (asserted below with amtool), and no critical alert is triggered by drift. Only in the
 * test copy of the rules does it get `severity: critical`, `for: 1s` instead of 5m and no
 * `keep_firing_for` (its 30 minutes of hysteresis would hold the resolve back past the test); its
 * expression (the duty cycle of the replica's verdicts), its annotations, every other rule, and the
 * whole Alertmanager routing and template chain are the shipped ones. Only that alert's `for:` is
 * shortened, so nothing else (ModelwatchAbsent at start-up) can page during the test. The alert is
 * per replica (it names the sidecar's instance), so the PagerDuty source is that instance.
 * Alertmanager's resolve_timeout stays as shipped (5m), so the resolve can
 * only come from Prometheus seeing the drift end; repeat_interval is 1m, longer than the test, so
 * every request the fake PagerDuty receives is a distinct notification or a retry of one.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Modelwatch } from '../../src/main.js';
import { findAlert, readShippedRules, withShortFor } from '../helpers/alert-rules.js';
import {
  copyShippedTemplates,
  deriveTestAlertmanagerConfig,
  readShippedAlertmanager,
  routeReceiver,
  SHIPPED_ALERTMANAGER,
  startAlertmanager,
  type RunningAlertmanager,
} from '../helpers/alertmanager.js';
import { startFakePagerDuty, type FakePagerDuty, type ReceivedRequest } from '../helpers/fake-pagerduty.js';
import { fixtureLog } from '../helpers/fixture-log.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';

const ALERT = 'ModelwatchDatasetDrift';
const ROUTING_KEY = 'R0UT1NGKEY0123456789ABCDEFGHIJKL';
const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** The rules with `alert`'s keep_firing_for removed; nothing else changes. */
function withoutKeepFiring(rulesYaml: string, alert: string): string {
  const file = parse(rulesYaml) as { groups: { rules: { alert?: string; keep_firing_for?: string }[] }[] };
  for (const group of file.groups) for (const rule of group.rules) if (rule.alert === alert) delete rule.keep_firing_for;
  return stringify(file);
}

describe('drift → Prometheus → Alertmanager → PagerDuty Events API v2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-pd-'));
  const log = join(dir, 'requests.jsonl');
  const { lines, referenceCsv } = fixtureLog(400);
  const records = lines.filter((l) => l.startsWith('{"timestamp"'));
  // The fixture's first half follows the reference; its second half drifts (age +15, a new colour).
  const referenceLike = records.slice(0, 150);
  const drifted = records.slice(250, 400);
  let pagerDuty: FakePagerDuty;
  let alertmanager: RunningAlertmanager;
  let sidecar: Modelwatch;
  let prom: RunningPrometheus;
  let instance: string;

  const accepted = (action: string): ReceivedRequest | undefined =>
    pagerDuty.received.find((r) => r.status === 202 && r.event.event_action === action);

  beforeAll(async () => {
    writeFileSync(join(dir, 'reference.csv'), referenceCsv);
    writeFileSync(log, '');
    pagerDuty = await startFakePagerDuty({ throttleFirst: 1 });

    const amDir = join(dir, 'alertmanager');
    const templatesGlob = copyShippedTemplates(amDir);
    const amConfig = deriveTestAlertmanagerConfig(readShippedAlertmanager(), {
      pagerDutyUrl: pagerDuty.url,
      routingKey: ROUTING_KEY,
      templatesGlob,
      groupInterval: '1s',
      repeatInterval: '1m',
    });
    alertmanager = await startAlertmanager(amConfig, amDir);

    sidecar = await startSidecar({
      reference: { path: join(dir, 'reference.csv') },
      resources: { enabled: false },
      drift: { interval: '1s', min_samples: 20, windows: [{ count: 100 }] },
      sources: [{ type: 'file', paths: [log], start_at: 'beginning', poll_interval: '100ms' }],
    });
    instance = new URL(sidecar.url!).host;

    const alerts = withoutKeepFiring(withShortFor(readShippedRules('modelwatch-alerts.yml'), ALERT, '1s', { severity: 'critical' }), ALERT);
    prom = await startPrometheus(
      `global:
  scrape_interval: 500ms
  evaluation_interval: 500ms
rule_files: [recording.yml, alerts.yml]
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['${new URL(alertmanager.url).host}'] }]
scrape_configs:
  - job_name: modelwatch
    static_configs: [{ targets: ['${instance}'] }]
`,
      { 'recording.yml': readShippedRules('modelwatch-recording.yml'), 'alerts.yml': alerts },
    );
    appendFileSync(log, referenceLike.join('\n') + '\n');
  });

  afterAll(async () => {
    await prom?.stop();
    await sidecar?.stop();
    await alertmanager?.stop();
    await pagerDuty?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the shipped drift alert, which ships as an ML warning routed to the webhook, not PagerDuty', () => {
    const shipped = findAlert(readShippedRules('modelwatch-alerts.yml'), ALERT);
    expect(shipped.labels).toMatchObject({ severity: 'warning', team: 'ml' });
    expect(shipped.expr).toBe('avg_over_time(modelwatch_dataset_drifted{job="modelwatch"}[30m]) >= 0.5');
    expect(routeReceiver(SHIPPED_ALERTMANAGER, { alertname: ALERT, severity: 'warning', team: 'ml', model: 'churn' })).toBe('retraining-webhook');
    expect(routeReceiver(SHIPPED_ALERTMANAGER, { alertname: ALERT, severity: 'critical', team: 'ml', model: 'churn' })).toBe('pagerduty');
  });

  it('does not page while the traffic matches the reference', async () => {
    // Several evaluations of a scraped "not drifted" verdict for the count window.
    await waitFor(
      'a few scrapes of modelwatch_dataset_drifted == 0',
      async () => ((await prom.query('count_over_time((modelwatch_dataset_drifted{window="last_100"} == 0)[1m:500ms]) >= 4')).length === 1 ? true : undefined),
      30_000,
      250,
    );
    expect(await prom.query(`ALERTS{alertname="${ALERT}"}`)).toEqual([]);
    expect(pagerDuty.received).toEqual([]);
  });

  it('pages when the inputs drift: the throttled trigger is retried and arrives with every required field', async () => {
    appendFileSync(log, drifted.join('\n') + '\n');
    const trigger = await waitFor('an accepted PagerDuty trigger', async () => accepted('trigger'), 30_000, 100);

    const first = pagerDuty.received[0];
    expect(first.status).toBe(429);
    expect(first.event.event_action).toBe('trigger');
    expect(first.path).toBe('/v2/enqueue');

    const e = trigger.event;
    expect(e.routing_key).toBe(ROUTING_KEY);
    expect(e.event_action).toBe('trigger');
    expect(e.dedup_key).toMatch(/^\S+$/);
    expect(e.dedup_key).toBe(first.event.dedup_key);
    expect(e.payload?.summary?.length).toBeGreaterThan(0);
    expect(e.payload!.summary!.length).toBeLessThanOrEqual(1024);
    expect(e.payload?.summary).toBe(`[FIRING:1] ModelwatchDatasetDrift churn: Dataset drift on churn v3 at ${instance} (last_100 window)`);
    expect(PAGERDUTY_SEVERITIES).toContain(e.payload?.severity);
    expect(e.payload?.severity).toBe('critical');
    // A per-replica alert: the source is the sidecar that saw the drift.
    expect(e.payload?.source).toBe(instance);
    expect(e.payload?.class).toBe(ALERT);
    expect(e.payload?.component).toBe('churn');
    expect(e.payload?.custom_details).toMatchObject({ firing: '1', model: 'churn', version: 'v3', team: 'ml' });
    expect(e.links).toContainEqual({ href: `https://github.com/modelwatch/modelwatch/blob/main/docs/runbooks/${ALERT}.md`, text: 'Runbook' });

    // Alertmanager's retrier absorbed the 429 inside one notification: a failed request, no failed notification.
    expect(await alertmanager.metric('alertmanager_notification_requests_failed_total', { integration: 'pagerduty' })).toBe(1);
    expect(await alertmanager.metric('alertmanager_notifications_failed_total', { integration: 'pagerduty' })).toBe(0);
  });

  it('resolves with the same dedup key when the drift ends', async () => {
    appendFileSync(log, referenceLike.join('\n') + '\n');
    const resolve = await waitFor('an accepted PagerDuty resolve', async () => accepted('resolve'), 30_000, 100);
    const trigger = accepted('trigger')!;
    expect(resolve.event.routing_key).toBe(ROUTING_KEY);
    expect(resolve.event.dedup_key).toBe(trigger.event.dedup_key);
    expect(resolve.receivedAt).toBeGreaterThan(trigger.receivedAt);
    // Nothing else paged: a throttled trigger, its retry and the resolve, all for the drift alert.
    expect(pagerDuty.received.map((r) => [r.status, r.event.event_action, r.event.payload?.class])).toEqual([
      [429, 'trigger', ALERT],
      [202, 'trigger', ALERT],
      [202, 'resolve', ALERT],
    ]);
  });
});
