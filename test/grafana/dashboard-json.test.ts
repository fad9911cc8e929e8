/**
 * The committed dashboard JSON is what the builders produce (run `npm run dashboards` when this
 * fails), and it is dashboard JSON Grafana accepts as provisioned: stable uids, unique panel ids,
 * every query on the ${datasource} variable, every variable a query uses defined on its dashboard.
 * And what an on-call reader needs: the cluster / namespace / sidecar scope on every dashboard,
 * the mixin's job selector in every query, a unit on every panel, no count that grows with the
 * number of replicas, firing-alert and new-version annotations, drill-downs that land on a
 * dashboard that exists with the variables it carries, runbook links to runbooks that exist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, renderDashboards } from '../../grafana/src/index.js';
import { REPO_ROOT } from './implemented-metrics.js';
import { panelQueries, substitute, variableNames, variablesIn } from './panel-queries.js';

const DIR = join(REPO_ROOT, 'grafana/dashboards');
/** Variables Grafana itself provides to queries. */
const GRAFANA_BUILTINS = new Set(['__rate_interval', '__interval', '__interval_ms', '__range', '__range_s', '__range_ms']);

const built = DASHBOARDS.map((d) => ({ file: d.file, json: d.build() }));

interface PanelShape {
  id?: number;
  type: string;
  title?: string;
  links?: { title?: string; url?: string }[];
  fieldConfig?: { defaults?: { unit?: string } };
  datasource?: { type?: string; uid?: string };
  targets?: { refId?: string; expr?: string; datasource?: { uid?: string } }[];
  panels?: PanelShape[];
  gridPos?: { x: number; y: number; w: number; h: number };
}

function allPanels(d: dashboard.Dashboard): PanelShape[] {
  return ((d.panels ?? []) as PanelShape[]).flatMap((p) => [p, ...(p.panels ?? [])]);
}

describe('generated dashboards', () => {
  it('are committed exactly as the builders render them (npm run dashboards)', () => {
    const rendered = renderDashboards();
    const committed = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    expect(committed, 'files in grafana/dashboards').toEqual([...rendered.keys()].sort());
    for (const [file, text] of rendered) {
      expect(readFileSync(join(DIR, file), 'utf8'), `grafana/dashboards/${file} is stale: run npm run dashboards`).toBe(text);
    }
  });

  it('have distinct stable uids and titles, and a schema version', () => {
    const uids = built.map((b) => b.json.uid);
    expect(uids).toEqual(['modelwatch-overview', 'modelwatch-data-drift', 'modelwatch-data-quality', 'modelwatch-model-quality', 'modelwatch-resources', 'modelwatch-sidecar']);
    expect(new Set(built.map((b) => b.json.title)).size).toBe(built.length);
    for (const { json } of built) {
      expect(json.uid!.length).toBeLessThanOrEqual(40);
      expect(json.schemaVersion).toBeGreaterThanOrEqual(39);
      expect(json.tags).toContain('modelwatch');
    }
  });

  it('number panels uniquely and keep them on the 24-column grid', () => {
    for (const { json } of built) {
      const panels = allPanels(json);
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size, `${json.title}: panel ids`).toBe(panels.length);
      for (const p of panels) {
        expect(p.gridPos, `${json.title} / ${p.title}`).toBeDefined();
        expect(p.gridPos!.x + p.gridPos!.w, `${json.title} / ${p.title} width`).toBeLessThanOrEqual(24);
      }
      expect(new Set(panels.filter((p) => p.type !== 'row').map((p) => p.title)).size, `${json.title}: duplicate panel titles`).toBe(
        panels.filter((p) => p.type !== 'row').length,
      );
    }
  });

  it('query Prometheus through the ${datasource} variable only', () => {
    for (const { json } of built) {
      const ds = json.templating?.list?.[0];
      expect(ds, `${json.title}: first variable`).toMatchObject({ type: 'datasource', name: 'datasource', query: 'prometheus' });
      for (const p of allPanels(json).filter((x) => x.type !== 'row')) {
        expect(p.datasource, `${json.title} / ${p.title}`).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(p.targets?.length, `${json.title} / ${p.title} has no query`).toBeGreaterThan(0);
        const refIds = p.targets!.map((t) => t.refId);
        expect(new Set(refIds).size, `${json.title} / ${p.title} refIds`).toBe(refIds.length);
        for (const t of p.targets!) expect(t.datasource?.uid).toBe('${datasource}');
      }
    }
  });

  it('use only variables their dashboard defines', () => {
    for (const { json } of built) {
      const defined = new Set([...variableNames(json), ...GRAFANA_BUILTINS]);
      for (const q of panelQueries(json)) {
        const undefinedHere = variablesIn(q.expr).filter((v) => !defined.has(v));
        expect(undefinedHere, `${q.dashboard} / ${q.panel} [${q.refId}]`).toEqual([]);
      }
      // Panel titles may name variables too ("Reference vs current: $feature").
      for (const p of allPanels(json)) expect(variablesIn(p.title ?? '').filter((v) => !defined.has(v)), `${json.title} / ${p.title}`).toEqual([]);
    }
  });
});

describe('what the dashboards show', () => {
  const mixin = JSON.parse(readFileSync(join(REPO_ROOT, 'prometheus/mixin.config.json'), 'utf8')) as { selector: string[]; runbookUrlBase: string };

  it('scope every dashboard by cluster, namespace and sidecar, right after the datasource', () => {
    for (const { json } of built) {
      expect(variableNames(json).slice(0, 4), json.title).toEqual(['datasource', 'cluster', 'namespace', 'instance']);
    }
  });

  it("select every series with the mixin's selector and the scope variables", () => {
    for (const { json } of built) {
      for (const q of panelQueries(json)) {
        // Alerts are selected by name: ALERTS carries the alert's labels, not necessarily the job.
        const wanted = q.expr.includes('ALERTS{') ? ['alertname=~"Modelwatch.*"'] : mixin.selector;
        for (const want of [...wanted, 'namespace=~"$namespace"']) expect(q.expr, `${q.dashboard} / ${q.panel} [${q.refId}]`).toContain(want);
      }
    }
  });

  it('state a unit on every panel', () => {
    for (const { json } of built) {
      for (const p of allPanels(json).filter((x) => x.type !== 'row')) expect(p.fieldConfig?.defaults?.unit, `${json.title} / ${p.title}`).toBeTruthy();
    }
  });

  it('never sum or count per-replica verdicts into a number that grows with the replicas', () => {
    // A verdict or a gauge every replica exports for the same feature must be deduplicated
    // (count of distinct features, max by) rather than summed.
    const perReplica = /\b(sum|count)\s*\(\s*modelwatch_(feature_drifted|dataset_drifted|prediction_drifted|feature_drift_score|model_quality|gpu_memory_used_bytes)\b/;
    for (const { json } of built) {
      for (const q of panelQueries(json)) expect(q.expr, `${q.dashboard} / ${q.panel} [${q.refId}]`).not.toMatch(perReplica);
    }
  });

  it('annotate firing modelwatch alerts everywhere, and new model versions on the model dashboards', () => {
    for (const { json } of built) {
      const names = (json.annotations?.list ?? []).map((a) => a.name);
      expect(names, json.title).toContain('Firing alerts');
      if (variableNames(json).includes('model')) expect(names, json.title).toContain('New model version');
      const defined = new Set([...variableNames(json), ...GRAFANA_BUILTINS]);
      for (const a of json.annotations?.list ?? []) {
        const expr = (a as { expr?: string }).expr ?? '';
        expect(variablesIn(expr).filter((v) => !defined.has(v)), `${json.title} / ${a.name}`).toEqual([]);
      }
    }
  });

  it('link drill-downs to dashboards that exist and carry only variables both define', () => {
    const byUid = new Map(built.map((b) => [b.json.uid, b.json]));
    let drillDowns = 0;
    for (const { json } of built) {
      for (const p of allPanels(json)) {
        for (const link of p.links ?? []) {
          const m = /^\/d\/([\w-]+)\/[\w-]+\?(.*)$/.exec(link.url ?? '');
          if (!m) continue;
          drillDowns++;
          const target = byUid.get(m[1]);
          expect(target, `${json.title} / ${p.title}: ${link.url}`).toBeDefined();
          const carried = [...m[2].matchAll(/\$\{(\w+):queryparam\}/g)].map((x) => x[1]);
          for (const v of carried) {
            expect(variableNames(json), `${json.title} / ${p.title} carries $${v}`).toContain(v);
            expect(variableNames(target!), `${target!.title} receives $${v}`).toContain(v);
          }
        }
      }
    }
    expect(drillDowns).toBeGreaterThan(5);
  });

  it('link runbooks that exist', () => {
    let runbooks = 0;
    for (const { json } of built) {
      for (const p of allPanels(json)) {
        for (const link of p.links ?? []) {
          if (!link.url?.startsWith(mixin.runbookUrlBase)) continue;
          runbooks++;
          const file = join(REPO_ROOT, 'docs/runbooks', link.url.slice(mixin.runbookUrlBase.length));
          expect(existsSync(file), `${json.title} / ${p.title}: ${link.url}`).toBe(true);
        }
      }
    }
    expect(runbooks).toBeGreaterThan(10);
  });
});

describe('template substitution', () => {
  it('replaces $name, ${name}, ${name:format} and [[name]], and refuses an unknown variable', () => {
    const values = { model: 'churn', __rate_interval: '10s', __range: '1m', __range_s: '60' };
    expect(substitute('rate(x{model=~"$model"}[$__rate_interval])', values)).toBe('rate(x{model=~"churn"}[10s])');
    expect(substitute('${model} ${model:regex} [[model]] $__range_s $__range', values)).toBe('churn churn churn 60 1m');
    expect(() => substitute('x{window="$window"}', values)).toThrow('$window');
  });
});

describe('provisioning', () => {
  it('provisions a Prometheus datasource and the dashboards folder from files', () => {
    const ds = parse(readFileSync(join(REPO_ROOT, 'grafana/provisioning/datasources/modelwatch.yaml'), 'utf8')) as {
      apiVersion: number;
      datasources: { type: string; uid: string; url: string }[];
    };
    expect(ds.apiVersion).toBe(1);
    expect(ds.datasources).toEqual([expect.objectContaining({ type: 'prometheus', uid: 'prometheus' })]);
    const dash = parse(readFileSync(join(REPO_ROOT, 'grafana/provisioning/dashboards/modelwatch.yaml'), 'utf8')) as {
      apiVersion: number;
      providers: { type: string; folder: string; options: { path: string } }[];
    };
    expect(dash.apiVersion).toBe(1);
    expect(dash.providers).toEqual([expect.objectContaining({ type: 'file', folder: 'modelwatch' })]);
    expect(dash.providers[0].options.path).toMatch(/^\//);
  });
});
