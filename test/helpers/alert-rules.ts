/**
 * Test copies of the shipped alerting rules (prometheus/rules/modelwatch-alerts.yml): the shipped
 * `for:` durations are minutes, which an end-to-end test cannot wait out, so one named alert gets a
 * short `for:` (and, where a test says why, extra labels); every other rule stays as shipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT } from './cli.js';

export const SHIPPED_RULES_DIR = join(ROOT, 'prometheus', 'rules');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleFile {
  groups: { name: string; rules: (AlertRule | { record: string; expr: string })[] }[];
}

export function readShippedRules(file: string): string {
  return readFileSync(join(SHIPPED_RULES_DIR, file), 'utf8');
}

/** The shipped rule named `alert`, as written. */
export function findAlert(rulesYaml: string, alert: string): AlertRule {
  for (const group of (parse(rulesYaml) as RuleFile).groups) {
    for (const rule of group.rules) if ('alert' in rule && rule.alert === alert) return rule;
  }
  throw new Error(`alert ${alert} is not in the rules`);
}

/** The rules with `alert`'s `for:` replaced and `labels` merged over its own; nothing else changes. */
export function withShortFor(rulesYaml: string, alert: string, forDuration: string, labels: Record<string, string> = {}): string {
  const file = parse(rulesYaml) as RuleFile;
  let found = false;
  for (const group of file.groups) {
    for (const rule of group.rules) {
      if (!('alert' in rule) || rule.alert !== alert) continue;
      rule.for = forDuration;
      rule.labels = { ...rule.labels, ...labels };
      found = true;
    }
  }
  if (!found) throw new Error(`alert ${alert} is not in the rules`);
  return stringify(file);
}
