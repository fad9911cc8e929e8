/**
 * The shipped alerting and recording rules, proven with the real promtool: they load, their unit
 * tests pass, every alert has a test that fires it and one that keeps it silent, and every alert
 * carries what Alertmanager routing and the on-call human need (severity, team, summary,
 * description, a runbook that exists). Also checks the example prometheus.yml.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/binaries.js';
import {
  allAlerts,
  PROMETHEUS_DIR,
  readYaml,
  REPO_ROOT,
  ruleGroups,
  RULE_TESTS_DIR,
  RULES_DIR,
  RUNBOOK_URL_PREFIX,
  RUNBOOKS_DIR,
  runTool,
  yamlFiles,
  type AlertRuleTest,
  type RuleTestFile,
} from './rule-files.js';

const ruleFiles = yamlFiles(RULES_DIR);
const testFiles = yamlFiles(RULE_TESTS_DIR);
const alerts = allAlerts();
const SEVERITIES = new Set(['critical', 'warning', 'info']);
const TEAMS = new Set(['ml', 'platform']);

function alertRuleTests(): AlertRuleTest[] {
  return testFiles.flatMap((f) => readYaml<RuleTestFile>(f).tests.flatMap((t) => t.alert_rule_test ?? []));
}

describe('prometheus rule files', () => {
  it('finds the rule files and their tests', () => {
    expect(ruleFiles.map((f) => basename(f))).toEqual(['modelwatch-alerts.yml', 'modelwatch-recording.yml']);
    expect(testFiles.length).toBeGreaterThan(0);
    expect(alerts.length).toBeGreaterThan(0);
  });

  it.each(ruleFiles.map((f) => [relative(REPO_ROOT, f), f]))('promtool check rules %s', (_name, file) => {
    const r = runTool(requireBinary('promtool'), ['check', 'rules', file]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  });

  it.each(testFiles.map((f) => [relative(REPO_ROOT, f), f]))('promtool test rules %s', (_name, file) => {
    const r = runTool(requireBinary('promtool'), ['test', 'rules', file]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
  });

  it('every alert has a unit test where it fires and one where it stays silent', () => {
    const tests = alertRuleTests();
    const missing: string[] = [];
    for (const { alert } of alerts) {
      const mine = tests.filter((t) => t.alertname === alert);
      if (!mine.some((t) => (t.exp_alerts ?? []).length > 0)) missing.push(`${alert}: no test where it fires`);
      if (!mine.some((t) => (t.exp_alerts ?? []).length === 0)) missing.push(`${alert}: no test where it is silent`);
    }
    expect(missing).toEqual([]);
  });

  it('every firing expectation states the full labels and annotations', () => {
    const byName = new Map(alerts.map((a) => [a.alert, a]));
    const incomplete: string[] = [];
    for (const t of alertRuleTests()) {
      const rule = byName.get(t.alertname);
      if (!rule) {
        incomplete.push(`${t.alertname}: tested but not defined`);
        continue;
      }
      for (const exp of t.exp_alerts ?? []) {
        if (exp.exp_labels?.severity !== rule.labels?.severity) incomplete.push(`${t.alertname}@${t.eval_time}: severity`);
        if (exp.exp_labels?.team !== rule.labels?.team) incomplete.push(`${t.alertname}@${t.eval_time}: team`);
        const keys = Object.keys(exp.exp_annotations ?? {}).sort();
        if (keys.join() !== 'description,runbook_url,summary') incomplete.push(`${t.alertname}@${t.eval_time}: annotations`);
      }
    }
    expect(incomplete).toEqual([]);
  });

  // promtool (like Prometheus) runs groups independently; without an explicit order an alert may
  // read a recorded ratio one evaluation late and the timing assertions become flaky.
  it('every rule test file orders all the groups it loads', () => {
    for (const file of testFiles) {
      const test = readYaml<RuleTestFile>(file);
      const groups = test.rule_files.flatMap((rf) => ruleGroups(resolve(dirname(file), rf)).map((g) => g.name));
      if (groups.length > 1) expect(new Set(test.group_eval_order), basename(file)).toEqual(new Set(groups));
    }
  });

  it('group names are unique across rule files', () => {
    const names = ruleFiles.flatMap((f) => ruleGroups(f).map((g) => g.name));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('alert metadata', () => {
  it.each(alerts.map((a) => [a.alert, a]))('%s has a severity, team, summary, description and runbook', (name, rule) => {
    expect(SEVERITIES.has(rule.labels?.severity ?? ''), `severity of ${name}`).toBe(true);
    expect(TEAMS.has(rule.labels?.team ?? ''), `team of ${name}`).toBe(true);
    expect(rule.annotations?.summary?.trim()).toBeTruthy();
    expect(rule.annotations?.description?.trim()).toBeTruthy();
    expect(rule.annotations?.runbook_url).toBe(`${RUNBOOK_URL_PREFIX}${name}.md`);
    const doc = join(RUNBOOKS_DIR, `${name}.md`);
    expect(existsSync(doc), `${relative(REPO_ROOT, doc)} is missing`).toBe(true);
    expect(readFileSync(doc, 'utf8')).toMatch(new RegExp(`^# ${name}\\b`));
  });

  it('alert names are unique and every runbook belongs to an alert', () => {
    const names = alerts.map((a) => a.alert);
    expect(new Set(names).size).toBe(names.length);
    const runbooks = readdirSync(RUNBOOKS_DIR)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.slice(0, -'.md'.length));
    expect(runbooks.sort()).toEqual([...names].sort());
  });

  it('docs/alerts.md lists every alert with its severity, team, for and keep_firing_for', () => {
    const index = readFileSync(join(REPO_ROOT, 'docs', 'alerts.md'), 'utf8');
    for (const a of alerts) {
      const row = index.split('\n').find((l) => l.startsWith(`| [${a.alert}](runbooks/${a.alert}.md) |`));
      expect(row, `${a.alert} has no row in docs/alerts.md`).toBeDefined();
      // Escaped pipes (\|x\|) inside a cell are not column separators.
      const cells = row!.split(/(?<!\\)\|/).map((c) => c.trim());
      expect(cells.slice(2, 4), a.alert).toEqual([a.labels?.severity, a.labels?.team]);
      expect(cells[5], a.alert).toBe(`${a.for ?? '–'} / ${a.keep_firing_for ?? '–'}`);
    }
  });

  it('the runbook states the severity and team the rule carries', () => {
    for (const a of alerts) {
      const doc = readFileSync(join(RUNBOOKS_DIR, `${a.alert}.md`), 'utf8');
      expect(doc, a.alert).toContain(`**Severity:** ${a.labels?.severity} · **Team:** ${a.labels?.team}`);
    }
  });
});

describe('example prometheus.yml', () => {
  it('passes promtool check config, rule files included', () => {
    const r = runTool(requireBinary('promtool'), ['check', 'config', join(PROMETHEUS_DIR, 'prometheus.yml')]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
  });

  it('scrapes job modelwatch on localhost:9847 and loads every shipped rule file', () => {
    const config = readYaml<{
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    }>(join(PROMETHEUS_DIR, 'prometheus.yml'));
    const job = config.scrape_configs.find((s) => s.job_name === 'modelwatch');
    expect(job?.static_configs.flatMap((s) => s.targets)).toEqual(['localhost:9847']);
    expect(config.rule_files.map((f) => resolve(PROMETHEUS_DIR, f)).sort()).toEqual(ruleFiles);
  });
});
