/**
 * Reads the queries out of dashboard JSON (every target of every panel, rows included, and the
 * template variables' label_values() queries), and substitutes template variables the way
 * Grafana does before a query reaches Prometheus.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  instant: boolean;
}

export interface VariableQuery {
  dashboard: string;
  variable: string;
  /** label_values(series, label) */
  series: string;
  label: string;
}

interface TargetShape {
  refId?: string;
  expr?: string;
  instant?: boolean;
}

function panelsOf(d: dashboard.Dashboard): dashboard.Panel[] {
  const out: dashboard.Panel[] = [];
  for (const p of d.panels ?? []) {
    if (p.type === 'row') out.push(...((p as dashboard.RowPanel).panels ?? []));
    else out.push(p as dashboard.Panel);
  }
  return out;
}

export function panelQueries(d: dashboard.Dashboard): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const panel of panelsOf(d)) {
    for (const t of (panel.targets ?? []) as TargetShape[]) {
      out.push({ dashboard: d.title ?? '(untitled)', panel: panel.title ?? '(untitled)', refId: t.refId ?? '?', expr: t.expr ?? '', instant: t.instant === true });
    }
  }
  return out;
}

export function panelCount(d: dashboard.Dashboard): number {
  return panelsOf(d).length;
}

export function variableQueries(d: dashboard.Dashboard): VariableQuery[] {
  const out: VariableQuery[] = [];
  for (const v of d.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const q = v.query;
    const text = typeof q === 'string' ? q : String((q as { query?: string } | undefined)?.query ?? '');
    const m = /^label_values\((.*),\s*(\w+)\)$/.exec(text.trim());
    if (!m) throw new Error(`${d.title}: variable ${v.name} query is not label_values(series, label): ${text}`);
    out.push({ dashboard: d.title ?? '(untitled)', variable: v.name, series: m[1], label: m[2] });
  }
  return out;
}

export function variableNames(d: dashboard.Dashboard): string[] {
  return (d.templating?.list ?? []).map((v) => v.name);
}

/** `$name`, `${name}`, `${name:format}` and the deprecated `[[name]]`. */
const VARIABLE = /\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)/g;

/** The variable names an expression refers to. */
export function variablesIn(expr: string): string[] {
  return [...expr.matchAll(VARIABLE)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Replaces every variable by its value; throws naming the first one without a value. */
export function substitute(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(VARIABLE, (whole, braced?: string, bracketed?: string, bare?: string) => {
    const name = braced ?? bracketed ?? bare!;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for template variable ${whole}`);
    return value;
  });
}
