/**
 * The rule files as shipped (prometheus/rules/*.yml, read, never rewritten) and what the matrix needs
 * to know of them: every alert's severity, and the scraped metrics each expression reads, directly
 * or through recording rules. promtool gets only series some alert (or a check) reads: a series no
 * alert reads cannot change what fires, and leaving the others out (the per-bin drift counters only
 * the fleet recording rules read) keeps promtool fast. Every rule still runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SHIPPED_RULES_DIR } from '../../helpers/alert-rules.js';

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string; labels?: Record<string, string> }[] }[];
}

export interface ShippedRules {
  files: string[];
  /**
   * Every group, recording groups first: promtool evaluates groups it is not told the order of in an
   * arbitrary order (Prometheus runs them independently), which moves an alert by one evaluation
   * from run to run. Recording first, as prometheus/tests do: an alert sees the ratios recorded at
   * the same evaluation.
   */
  groupOrder: string[];
  /** alertname → severity label. */
  severity: Map<string, string>;
  /** Scraped metric names the alerts read, directly or through recording rules (and `up`). */
  alertInputs: Set<string>;
  /** Scraped metric names an expression reads, through recording rules. */
  inputsOf(expr: string): Set<string>;
}

const tokens = (expr: string) => [...expr.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map(([t]) => t);

export function shippedRules(): ShippedRules {
  const files = readdirSync(SHIPPED_RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => join(SHIPPED_RULES_DIR, f));
  const severity = new Map<string, string>();
  const recorded = new Map<string, string[]>();
  const alertExprs: string[] = [];
  const recordingGroups: string[] = [];
  const alertingGroups: string[] = [];
  for (const file of files) {
    for (const group of (parse(readFileSync(file, 'utf8')) as RuleFile).groups) {
      (group.rules.some((r) => r.record) ? recordingGroups : alertingGroups).push(group.name);
      for (const rule of group.rules) {
        if (/__name__/.test(rule.expr)) throw new Error(`a rule selects by __name__; the harness cannot tell which series it reads: ${rule.expr}`);
        if (rule.record) recorded.set(rule.record, [...(recorded.get(rule.record) ?? []), rule.expr]);
        if (rule.alert) {
          severity.set(rule.alert, rule.labels?.severity ?? '');
          alertExprs.push(rule.expr);
        }
      }
    }
  }
  const inputsOf = (expr: string): Set<string> => {
    const out = new Set<string>();
    const seen = new Set<string>();
    const visit = (e: string) => {
      for (const t of tokens(e)) {
        if (seen.has(t)) continue;
        seen.add(t);
        const defs = recorded.get(t);
        if (defs) defs.forEach(visit);
        else out.add(t);
      }
    };
    visit(expr);
    return out;
  };
  const alertInputs = new Set(['up', ...alertExprs.flatMap((e) => [...inputsOf(e)])]);
  return { files, groupOrder: [...recordingGroups, ...alertingGroups], severity, alertInputs, inputsOf };
}
