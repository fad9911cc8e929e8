/**
 * Reads the shipped Prometheus rule files, rule unit tests and Alertmanager config for the tests in
 * this folder, and runs promtool / amtool on them. Parsing is kept to what the checks need.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadMixinConfig } from '../../prometheus/mixin/config.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PROMETHEUS_DIR = join(REPO_ROOT, 'prometheus');
export const RULES_DIR = join(PROMETHEUS_DIR, 'rules');
export const RULE_TESTS_DIR = join(PROMETHEUS_DIR, 'tests');
export const RUNBOOKS_DIR = join(REPO_ROOT, 'docs', 'runbooks');
/** From the mixin config, where the rule generator takes it. */
export const RUNBOOK_URL_PREFIX = loadMixinConfig().runbookUrlBase;

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface RuleGroup {
  name: string;
  rules: (AlertingRule | RecordingRule)[];
}

export interface AlertRuleTest {
  alertname: string;
  eval_time: string;
  exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
}

export interface RuleTestFile {
  rule_files: string[];
  group_eval_order?: string[];
  tests: { alert_rule_test?: AlertRuleTest[]; promql_expr_test?: { expr: string }[] }[];
}

/** Absolute paths of the .yml files in a folder, sorted. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export function ruleGroups(path: string): RuleGroup[] {
  return readYaml<{ groups: RuleGroup[] }>(path).groups;
}

export function isAlertingRule(rule: AlertingRule | RecordingRule): rule is AlertingRule {
  return 'alert' in rule;
}

/** Every alerting rule of every rule file. */
export function allAlerts(): AlertingRule[] {
  return yamlFiles(RULES_DIR).flatMap((f) => ruleGroups(f).flatMap((g) => g.rules.filter(isAlertingRule)));
}

export interface ToolResult {
  status: number | null;
  output: string;
}

/** Runs a binary and returns its exit status with stdout and stderr together (for messages). */
export function runTool(binary: string, args: string[], cwd = REPO_ROOT): ToolResult {
  const r = spawnSync(binary, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
