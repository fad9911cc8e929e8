/**
 * The rules' single source: prometheus/mixin.config.json and the builders in prometheus/mixin/.
 * The committed rule files and PrometheusRule are exactly what the generator writes; every raw
 * series goes through the configured selector; every aggregation and join keeps the deployment
 * labels (a model name in two namespaces stays two series); another config (job, extra selector,
 * one more deployment label) renders rules promtool accepts; a bad config is refused by key.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMixinConfig, MIXIN_CONFIG_FILE, type MixinConfig } from '../../prometheus/mixin/config.js';
import { renderRuleFiles } from '../../prometheus/mixin/index.js';
import { generatedFiles } from '../../scripts/gen-prometheus-rule.js';
import { requireBinary } from '../helpers/binaries.js';
import { isAlertingRule, REPO_ROOT, runTool, type RuleGroup } from './rule-files.js';
import { parse } from 'yaml';

const config = loadMixinConfig();
/** Series the sidecar (or Prometheus, for its target) exposes, as opposed to recorded ones. */
const RAW = /\b(modelwatch_[a-z0-9_]+|up|process_start_time_seconds)\b(\{[^}]*\})?/g;
const GROUPING = /\b(by|on)\s*\(([^)]*)\)/g;

function exprs(files: Map<string, string>): { rule: string; expr: string }[] {
  return [...files.values()].flatMap((text) =>
    (parse(text) as { groups: RuleGroup[] }).groups.flatMap((g) =>
      g.rules.map((r) => ({ rule: isAlertingRule(r) ? r.alert : r.record, expr: r.expr })),
    ),
  );
}

function selectorViolations(files: Map<string, string>, c: MixinConfig): string[] {
  const out: string[] = [];
  for (const { rule, expr } of exprs(files)) {
    for (const m of expr.matchAll(RAW)) {
      const matchers = m[2] ?? '';
      for (const want of c.selector) if (!matchers.includes(want)) out.push(`${rule}: ${m[0]} lacks ${want}`);
    }
  }
  return out;
}

function groupingViolations(files: Map<string, string>, c: MixinConfig): string[] {
  const out: string[] = [];
  for (const { rule, expr } of exprs(files)) {
    for (const m of expr.matchAll(GROUPING)) {
      const labels = m[2].split(',').map((l) => l.trim());
      const missing = c.deploymentLabels.filter((l) => !labels.includes(l));
      if (missing.length > 0) out.push(`${rule}: ${m[1]} (${m[2]}) drops ${missing.join(', ')}`);
    }
    // An aggregation without `by` drops every label, the deployment's too.
    for (const m of expr.matchAll(/\b(sum|avg|min|max|count)\s*\(/g)) out.push(`${rule}: ${m[1]}(…) without by`);
  }
  return out;
}

describe('rule generator (npm run k8s:rules)', () => {
  it('the committed rule files and PrometheusRule are what it writes from the mixin config', () => {
    for (const [file, text] of generatedFiles()) {
      expect(readFileSync(file, 'utf8'), `${relative(REPO_ROOT, file)} is stale: run npm run k8s:rules`).toBe(text);
    }
  });

  it('selects every raw series with the configured selector', () => {
    expect(selectorViolations(renderRuleFiles(config), config)).toEqual([]);
  });

  it('keeps the deployment labels (cluster, namespace, job) in every aggregation and join', () => {
    expect(config.deploymentLabels).toEqual(expect.arrayContaining(['cluster', 'namespace', 'job']));
    expect(groupingViolations(renderRuleFiles(config), config)).toEqual([]);
  });

  it('gives every alert a severity, a team and a runbook under the configured base', () => {
    for (const text of renderRuleFiles(config).values()) {
      for (const g of (parse(text) as { groups: RuleGroup[] }).groups) {
        for (const r of g.rules.filter(isAlertingRule)) {
          expect(['critical', 'warning', 'info'], r.alert).toContain(r.labels?.severity);
          expect(['ml', 'platform'], r.alert).toContain(r.labels?.team);
          expect(r.annotations?.runbook_url).toBe(`${config.runbookUrlBase}${r.alert}.md`);
        }
      }
    }
  });
});

describe('another mixin config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-mixin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const custom: MixinConfig = {
    ...config,
    selector: ['job="ml-sidecars"', 'namespace=~"ml-.*"'],
    deploymentLabels: ['cluster', 'namespace', 'job', 'region'],
    runbookUrlBase: 'https://wiki.example.com/runbooks/',
    slo: { ...config.slo, latency: { objective: 0.995, thresholdBucket: '0.25' } },
  };

  function write(name: string, value: unknown): string {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  }

  it('renders rules that use its selector, labels and runbooks, and that promtool accepts', () => {
    const files = renderRuleFiles(loadMixinConfig(write('custom.json', custom)));
    expect(selectorViolations(files, custom)).toEqual([]);
    expect(groupingViolations(files, custom)).toEqual([]);
    const alerts = files.get('modelwatch-alerts.yml')!;
    expect(alerts).toContain('runbook_url: https://wiki.example.com/runbooks/ModelwatchDown.md');
    expect(files.get('modelwatch-recording.yml')).toContain('le="0.25"');
    expect(alerts).toContain('(14.4 * 0.005)');
    for (const [name, text] of files) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const r = runTool(requireBinary('promtool'), ['check', 'rules', file]);
      expect(r.status, r.output).toBe(0);
    }
  });

  it('is refused with the offending key named', () => {
    expect(() => loadMixinConfig(write('typo.json', { ...custom, selectr: [] }))).toThrow(/selectr/);
    expect(() => loadMixinConfig(write('ratio.json', { ...custom, drift: { ...custom.drift, minDriftedShare: 5 } }))).toThrow(/drift\.minDriftedShare/);
    expect(() => loadMixinConfig(write('duration.json', { ...custom, drift: { ...custom.drift, range: '30 minutes' } }))).toThrow(/drift\.range/);
  });

  it('refuses a minimum traffic that would let one failed request fire a burn-rate alert', () => {
    const low = loadMixinConfig(write('low.json', { ...custom, slo: { ...custom.slo, minRequests: 100 } }));
    expect(() => renderRuleFiles(low)).toThrow(/minRequests 100/);
  });

  it('is read from prometheus/mixin.config.json by default', () => {
    expect(relative(REPO_ROOT, MIXIN_CONFIG_FILE)).toBe(join('prometheus', 'mixin.config.json'));
  });
});
