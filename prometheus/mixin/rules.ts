/**
 * The shape of a rule as the mixin writes it, and its rendering into a Prometheus rule file. Every
 * alert gets the same metadata the same way: severity and team labels (Alertmanager routes on
 * both), summary, description and a runbook_url built from the configured base.
 */
import { Document, isMap, isSeq, type YAMLMap } from 'yaml';
import type { MixinConfig } from './config.js';

export type Severity = 'critical' | 'warning' | 'info';
/** Who acts on the alert: `ml` (model, data, labels) or `platform` (sidecar, serving, machines). */
export type Team = 'ml' | 'platform';

export interface AlertSpec {
  alert: string;
  severity: Severity;
  team: Team;
  expr: string;
  for?: string;
  keepFiringFor?: string;
  summary: string;
  description: string;
  /** Why the rule is written this way; becomes a comment above it. */
  comment?: string;
}

export interface RecordSpec {
  record: string;
  expr: string;
  comment?: string;
}

export interface GroupSpec {
  name: string;
  comment?: string;
  rules: (AlertSpec | RecordSpec)[];
}

export interface RuleFileSpec {
  file: string;
  header: string;
  groups: GroupSpec[];
}

function isAlert(rule: AlertSpec | RecordSpec): rule is AlertSpec {
  return 'alert' in rule;
}

/** Multi-line expressions end in a newline so they render as `|` blocks, one-liners stay inline. */
function exprText(expr: string): string {
  const lines = expr.replace(/^\n+|\s+$/g, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  const text = lines.map((l) => l.slice(indent)).join('\n');
  return text.includes('\n') ? `${text}\n` : text;
}

/** One line of prose from a template literal that wraps over several source lines. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function ruleObject(rule: AlertSpec | RecordSpec, config: MixinConfig): Record<string, unknown> {
  if (!isAlert(rule)) return { record: rule.record, expr: exprText(rule.expr) };
  const out: Record<string, unknown> = { alert: rule.alert, expr: exprText(rule.expr) };
  if (rule.for) out.for = rule.for;
  if (rule.keepFiringFor) out.keep_firing_for = rule.keepFiringFor;
  out.labels = { severity: rule.severity, team: rule.team };
  out.annotations = {
    summary: oneLine(rule.summary),
    description: oneLine(rule.description),
    runbook_url: `${config.runbookUrlBase}${rule.alert}.md`,
  };
  return out;
}

const COMMENT_WIDTH = 96;

function wrap(words: string[]): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > COMMENT_WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A YAML comment from an indented template literal: prose paragraphs are re-wrapped (the source
 * breaks lines wherever interpolation left them), indented blocks such as formulas stay as written.
 */
function comment(text: string): string {
  const raw = text.replace(/^\n+|\s+$/g, '').split('\n');
  const indent = Math.min(...raw.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    out.push(...wrap(paragraph.join(' ').split(/\s+/).filter(Boolean)));
    paragraph = [];
  };
  for (const full of raw) {
    const line = full.slice(indent).trimEnd();
    if (line === '' || line.startsWith(' ')) {
      flush();
      out.push(line);
    } else paragraph.push(line);
  }
  flush();
  // ' ' renders as a bare '#': a blank line would end the comment block.
  return out.map((l) => ` ${l}`).join('\n');
}

/** The map nodes of a sequence node (the document was built from plain objects, so they are maps). */
function seqOfMaps(node: unknown): YAMLMap[] {
  if (!isSeq(node)) throw new Error('expected a YAML sequence');
  return node.items.map((item) => {
    if (!isMap(item)) throw new Error('expected a YAML map');
    return item;
  });
}

/** The rule file's YAML, comments included; `lineWidth: 0` keeps expressions and prose unfolded. */
export function renderRuleFile(spec: RuleFileSpec, config: MixinConfig): string {
  const doc = new Document({ groups: spec.groups.map((g) => ({ name: g.name, rules: g.rules.map((r) => ruleObject(r, config)) })) });
  doc.commentBefore = comment(spec.header);
  const groups = seqOfMaps(doc.get('groups', true));
  spec.groups.forEach((g, i) => {
    const groupNode = groups[i];
    if (i > 0) groupNode.spaceBefore = true;
    if (g.comment) groupNode.commentBefore = comment(g.comment);
    const rules = seqOfMaps(groupNode.get('rules', true));
    g.rules.forEach((r, j) => {
      if (!r.comment) return;
      if (j > 0) rules[j].spaceBefore = true;
      rules[j].commentBefore = comment(r.comment);
    });
  });
  return doc.toString({ lineWidth: 0, indentSeq: true });
}
