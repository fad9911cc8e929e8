/**
 * The real Alertmanager for tests: derives a test config from the shipped
 * prometheus/alertmanager.yml (so its routing, receivers and templates are what gets tested), starts
 * the binary on a free loopback port with clustering off, and reads its own metrics.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { requireBinary } from './binaries.js';
import { ROOT } from './cli.js';
import { freePort, waitFor } from './prometheus.js';

export const SHIPPED_ALERTMANAGER = join(ROOT, 'prometheus', 'alertmanager.yml');
export const SHIPPED_TEMPLATES = join(ROOT, 'prometheus', 'alertmanager-templates');

interface Route {
  receiver?: string;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
}

interface PagerDutyConfig {
  routing_key?: string;
  routing_key_file?: string;
  url?: string;
  [key: string]: unknown;
}

interface AlertmanagerConfig {
  global?: Record<string, unknown>;
  templates?: string[];
  route: Route;
  receivers: { name: string; pagerduty_configs?: PagerDutyConfig[] }[];
}

export interface TestAlertmanagerOptions {
  /** Where the pagerduty receiver posts (the fake Events API). */
  pagerDutyUrl: string;
  routingKey: string;
  /** Glob of the copied template files. */
  templatesGlob: string;
  /** group_wait and group_interval, on the root route and every child. */
  groupInterval: string;
  /** repeat_interval everywhere; longer than the test so every request received is a new notification. */
  repeatInterval: string;
}

function retime(route: Route, o: TestAlertmanagerOptions): void {
  route.group_wait = o.groupInterval;
  route.group_interval = o.groupInterval;
  route.repeat_interval = o.repeatInterval;
  for (const child of route.routes ?? []) retime(child, o);
}

/**
 * The shipped config with only what a test cannot use changed: the routing key inline instead of
 * from a file (Events API v2 honours `url` only with `routing_key`), the URL of the fake Events API,
 * the template path, and short grouping intervals. Routes, matchers and every templated field stay.
 */
export function deriveTestAlertmanagerConfig(shippedYaml: string, o: TestAlertmanagerOptions): string {
  const config = parse(shippedYaml) as AlertmanagerConfig;
  const pagerduty = config.receivers.find((r) => r.name === 'pagerduty')?.pagerduty_configs;
  if (!pagerduty || pagerduty.length !== 1) throw new Error('the shipped alertmanager.yml has no single pagerduty receiver config');
  const pd = pagerduty[0];
  delete pd.routing_key_file;
  pd.routing_key = o.routingKey;
  pd.url = o.pagerDutyUrl;
  config.templates = [o.templatesGlob];
  retime(config.route, o);
  return stringify(config);
}

export interface RunningAlertmanager {
  url: string;
  dir: string;
  process: ChildProcess;
  /** A sample of Alertmanager's own /metrics, summed over every series matching name and labels. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

/** Writes the config next to a copy of the shipped templates and starts Alertmanager on it. */
export async function startAlertmanager(configYaml: string, dir = mkdtempSync(join(tmpdir(), 'mw-am-'))): Promise<RunningAlertmanager> {
  const bin = requireBinary('alertmanager');
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const proc = spawn(
    bin,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // An empty cluster address turns gossip off; otherwise it binds :9094 and waits for peers.
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-6000));
  proc.stderr?.on('data', keep);
  proc.stdout?.on('data', keep);
  try {
    await waitFor('alertmanager ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 30_000);
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`${String(err)}\nalertmanager log:\n${log}`);
  }
  return {
    url,
    dir,
    process: proc,
    async metric(name, labels = {}) {
      const text = await (await fetch(`${url}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
        if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return sum;
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Copies the shipped templates into dir; returns the glob to put under `templates:`. */
export function copyShippedTemplates(dir: string): string {
  cpSync(SHIPPED_TEMPLATES, join(dir, 'alertmanager-templates'), { recursive: true });
  return join(dir, 'alertmanager-templates', '*.tmpl');
}

/** The receiver `amtool config routes test` picks for these labels under a config file. */
export function routeReceiver(configFile: string, labels: Record<string, string>): string {
  const res = spawnSync(
    requireBinary('amtool'),
    ['config', 'routes', 'test', `--config.file=${configFile}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)],
    { encoding: 'utf8' },
  );
  if (res.status !== 0) throw new Error(`amtool config routes test failed: ${res.stdout}${res.stderr}`);
  return res.stdout.trim();
}

export function readShippedAlertmanager(): string {
  return readFileSync(SHIPPED_ALERTMANAGER, 'utf8');
}
