/**
 * The inhibition rules of prometheus/alertmanager.yml, checked against a real Alertmanager: amtool
 * cannot evaluate inhibitions offline. Alerts are posted through the v2 API and their state read
 * back; reading /api/v2/alerts makes Alertmanager evaluate inhibitions for each alert.
 * Notifications would only go out after group_wait (30 s), long after this test has finished.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import { PROMETHEUS_DIR } from './rule-files.js';

interface GettableAlert {
  labels: Record<string, string>;
  fingerprint: string;
  status: { state: string; inhibitedBy: string[] };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Polls until Alertmanager answers /-/ready; the deadline bounds the wait, not a fixed sleep. */
async function waitReady(base: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${base}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`alertmanager not ready after 30 s:\n${log()}`);
}

describe('alertmanager.yml inhibitions (real Alertmanager)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-am-'));
  let child: ChildProcess;
  let base = '';
  let output = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(requireBinary('alertmanager'), [
      `--config.file=${join(PROMETHEUS_DIR, 'alertmanager.yml')}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ]);
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitReady(base, child, () => output);
  });

  afterAll(async () => {
    // Alertmanager writes its silences and notification log into dir as it stops: wait for the
    // exit before removing dir, or rmdir races those writes (ENOTEMPTY).
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(alerts: Record<string, string>[]): Promise<void> {
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await fetch(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((labels) => ({ labels, endsAt }))),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  async function state(labels: Record<string, string>): Promise<GettableAlert> {
    const all = (await (await fetch(`${base}/api/v2/alerts`)).json()) as GettableAlert[];
    const found = all.find((a) => Object.entries(labels).every(([k, v]) => a.labels[k] === v));
    if (!found) throw new Error(`no alert with ${JSON.stringify(labels)} in ${JSON.stringify(all)}`);
    return found;
  }

  it('ModelwatchDown silences the other alerts of its instance only', async () => {
    const down = { alertname: 'ModelwatchDown', severity: 'critical', job: 'modelwatch', instance: 'a:9847' };
    const driftA = { alertname: 'ModelwatchDatasetDrift', severity: 'warning', job: 'modelwatch', instance: 'a:9847', model: 'churn', version: 'v1', window: '1h' };
    const driftB = { ...driftA, instance: 'b:9847' };
    const burn = { alertname: 'ModelwatchLatencyBudgetBurnFast', severity: 'critical', job: 'modelwatch', model: 'churn', version: 'v1' };
    await post([down, driftA, driftB, burn]);

    const downState = await state(down);
    expect(downState.status.state).toBe('active');
    const driftAState = await state(driftA);
    expect(driftAState.status.state).toBe('suppressed');
    expect(driftAState.status.inhibitedBy).toEqual([downState.fingerprint]);
    expect((await state(driftB)).status.state).toBe('active');
    // An alert without an instance label is not an alert of that instance.
    expect((await state(burn)).status.state).toBe('active');
  });

  it('ModelwatchDown in one namespace does not silence the same instance address in another', async () => {
    const down = { alertname: 'ModelwatchDown', severity: 'critical', team: 'platform', job: 'modelwatch', namespace: 'ml-prod', instance: '10.0.1.5:9847' };
    const stalledProd = { alertname: 'ModelwatchLogStalled', severity: 'warning', team: 'platform', job: 'modelwatch', namespace: 'ml-prod', instance: '10.0.1.5:9847', source: 'requests' };
    const stalledOther = { ...stalledProd, namespace: 'ml-staging' };
    await post([down, stalledProd, stalledOther]);

    expect((await state(stalledProd)).status.state).toBe('suppressed');
    expect((await state(stalledOther)).status.state).toBe('active');
  });

  it('dataset drift silences feature drift of the same model, version and window', async () => {
    const dataset = { alertname: 'ModelwatchDatasetDrift', severity: 'warning', job: 'modelwatch', instance: 'c:9847', model: 'fraud', version: 'v3', window: '1h' };
    const feature = { ...dataset, alertname: 'ModelwatchFeatureDrift', severity: 'info', feature: 'amount' };
    const otherWindow = { ...feature, window: '1d' };
    await post([dataset, feature, otherWindow]);

    expect((await state(feature)).status.state).toBe('suppressed');
    expect((await state(otherWindow)).status.state).toBe('active');
  });

  it('a fast latency burn silences the slow burn of the same model', async () => {
    const fast = { alertname: 'ModelwatchLatencyBudgetBurnFast', severity: 'critical', job: 'modelwatch', model: 'search', version: 'v2' };
    const slow = { ...fast, alertname: 'ModelwatchLatencyBudgetBurnSlow', severity: 'warning' };
    const slowOther = { ...slow, model: 'ranker' };
    await post([fast, slow, slowOther]);

    expect((await state(slow)).status.state).toBe('suppressed');
    expect((await state(slowOther)).status.state).toBe('active');
  });

  it('a fast error-budget burn silences the slow one of the same model in the same namespace only', async () => {
    const fast = { alertname: 'ModelwatchErrorBudgetBurnFast', severity: 'critical', team: 'platform', job: 'modelwatch', namespace: 'ml-prod', model: 'fraud', version: 'v3' };
    const slow = { ...fast, alertname: 'ModelwatchErrorBudgetBurnSlow', severity: 'warning' };
    const slowStaging = { ...slow, namespace: 'ml-staging' };
    await post([fast, slow, slowStaging]);

    expect((await state(slow)).status.state).toBe('suppressed');
    expect((await state(slowStaging)).status.state).toBe('active');
  });
});
