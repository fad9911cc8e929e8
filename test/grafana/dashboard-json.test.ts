/**
 * The committed dashboard JSON is what the builders produce (run `npm run dashboards` when this
 * fails), and it is dashboard JSON Grafana accepts as provisioned: stable uids, unique panel ids,
 * every query on the ${datasource} variable, every variable a query uses defined on its dashboard.
 */
import { readdirSync, readFileSync } from 'node:fs';
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
