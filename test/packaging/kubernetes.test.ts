/**
 * The Kubernetes manifests under config/kubernetes, checked statically: every document parses and is
 * the expected kind, the pieces refer to each other correctly (ConfigMap → sidecar, pod labels →
 * Service → ServiceMonitor, job="modelwatch" for the shipped alerts), the embedded modelwatch config
 * is valid, and the PrometheusRule is exactly what scripts/gen-prometheus-rule.ts makes of
 * prometheus/rules/*.yml and passes `promtool check rules`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildPrometheusRule, readRuleFiles, ruleGroups } from '../../scripts/gen-prometheus-rule.js';
import { parseConfigText } from '../../src/config/load.js';
import { requireBinary } from '../helpers/binaries.js';
import { ROOT } from '../helpers/cli.js';

const DIR = join(ROOT, 'config', 'kubernetes');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

interface Container {
  name: string;
  args?: string[];
  command?: string[];
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  readinessProbe?: { httpGet: { path: string; port: string } };
  livenessProbe?: { httpGet: { path: string; port: string } };
}

interface PodSpec {
  shareProcessNamespace?: boolean;
  containers: Container[];
  volumes: { name: string; emptyDir?: object; configMap?: { name: string } }[];
}

function loadManifests(): Map<string, Manifest[]> {
  const byFile = new Map<string, Manifest[]>();
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()) {
    const docs = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
    const parsed: Manifest[] = [];
    for (const doc of [docs].flat()) {
      expect(doc.errors, `${file}: ${doc.errors.map((e) => e.message).join('; ')}`).toEqual([]);
      if (doc.contents !== null) parsed.push(doc.toJS() as Manifest);
    }
    byFile.set(file, parsed);
  }
  return byFile;
}

const EXPECTED_KINDS: Record<string, string[]> = {
  'configmap.yaml': ['ConfigMap'],
  'deployment.yaml': ['Deployment'],
  'kustomization.yaml': ['Kustomization'],
  'prometheusrule.yaml': ['PrometheusRule'],
  'service.yaml': ['Service'],
  'servicemonitor.yaml': ['ServiceMonitor'],
};

describe('Kubernetes manifests', () => {
  const manifests = loadManifests();
  const one = (kind: string) => [...manifests.values()].flat().find((m) => m.kind === kind)!;
  const deployment = one('Deployment') as Manifest & { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };
  const pod = deployment.spec.template.spec;
  const container = (name: string) => pod.containers.find((c) => c.name === name)!;

  it('parse, and each file holds the expected kinds with an apiVersion and a name', () => {
    expect(Object.fromEntries([...manifests].map(([file, docs]) => [file, docs.map((d) => d.kind)]))).toEqual(EXPECTED_KINDS);
    for (const docs of manifests.values()) {
      for (const d of docs) {
        expect(d.apiVersion, d.kind).toMatch(/^[a-z0-9.]+\/v\w+$|^v1$/);
        if (d.kind !== 'Kustomization') expect(d.metadata?.name, d.kind).toMatch(/^[a-z0-9-]+$/);
      }
    }
    const kustomization = one('Kustomization') as Manifest & { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(Object.keys(EXPECTED_KINDS).filter((f) => f !== 'kustomization.yaml'));
  });

  it('run modelwatch as a sidecar sharing the model server’s PID namespace and an emptyDir log volume', () => {
    expect(pod.shareProcessNamespace).toBe(true);
    expect(pod.containers.map((c) => c.name).sort()).toEqual(['model-server', 'modelwatch']);
    const logs = pod.volumes.find((v) => v.emptyDir !== undefined && container('model-server').volumeMounts?.some((m) => m.name === v.name));
    expect(logs, 'the model server writes its logs to an emptyDir volume').toBeDefined();
    const serverMount = container('model-server').volumeMounts!.find((m) => m.name === logs!.name)!;
    const sidecarMount = container('modelwatch').volumeMounts!.find((m) => m.name === logs!.name);
    expect(sidecarMount).toEqual({ name: logs!.name, mountPath: serverMount.mountPath, readOnly: true });
    const serverArgs = [...(container('model-server').command ?? []), ...(container('model-server').args ?? [])];
    expect(serverArgs[serverArgs.indexOf('--dir') + 1]).toBe(serverMount.mountPath);
    for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels)) expect(deployment.spec.template.metadata.labels[k]).toBe(v);
  });

  it('mount a ConfigMap whose modelwatch config is valid and tails the shared log volume', () => {
    const sidecar = container('modelwatch');
    const configPath = sidecar.args![sidecar.args!.indexOf('--config') + 1];
    const configVolume = pod.volumes.find((v) => v.configMap !== undefined)!;
    const mount = sidecar.volumeMounts!.find((m) => m.name === configVolume.name)!;
    const configMap = one('ConfigMap') as Manifest & { data: Record<string, string> };
    expect(configVolume.configMap!.name).toBe(configMap.metadata.name);
    expect(configPath.startsWith(`${mount.mountPath}/`)).toBe(true);
    const key = configPath.slice(mount.mountPath.length + 1);
    expect(configMap.data, `the ConfigMap has no key ${key}`).toHaveProperty(key);

    const config = parseConfigText(configMap.data[key], `configmap.yaml:data.${key}`);
    const logsMount = sidecar.volumeMounts!.find((m) => m.readOnly && pod.volumes.some((v) => v.name === m.name && v.emptyDir))!;
    for (const source of config.sources) {
      if (source.type === 'file') for (const p of source.paths) expect(p.startsWith(`${logsMount.mountPath}/`), p).toBe(true);
    }
    expect(config.resources.target.process_name, 'with a shared PID namespace the model server is found by name').toBeDefined();
    expect(config.server.listen.endsWith(`:${sidecar.ports![0].containerPort}`)).toBe(true);
    expect(sidecar.readinessProbe?.httpGet).toEqual({ path: '/-/ready', port: 'metrics' });
    expect(sidecar.livenessProbe?.httpGet).toEqual({ path: '/-/healthy', port: 'metrics' });
  });

  it('expose the sidecar through a Service and a ServiceMonitor that yields job="modelwatch"', () => {
    const service = one('Service') as Manifest & { spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] } };
    const monitor = one('ServiceMonitor') as Manifest & { spec: { jobLabel: string; selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] } };
    for (const [k, v] of Object.entries(service.spec.selector)) expect(deployment.spec.template.metadata.labels[k], `pod label ${k}`).toBe(v);
    const metricsPort = container('modelwatch').ports!.find((p) => p.containerPort === 9847)!;
    expect(service.spec.ports.map((p) => p.targetPort)).toContain(metricsPort.name);
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata.labels?.[k], `Service label ${k}`).toBe(v);
    expect(monitor.spec.endpoints.map((e) => e.port)).toEqual(service.spec.ports.map((p) => p.name));
    expect(monitor.spec.endpoints[0].path).toBe('/metrics');
    // The shipped alerts match up{job="modelwatch"}: the job label comes from the Service's jobLabel label.
    expect(service.metadata.labels?.[monitor.spec.jobLabel]).toBe('modelwatch');
  });

  it('carry a PrometheusRule identical to what the generator makes of prometheus/rules/*.yml', () => {
    const files = readRuleFiles();
    expect(files.map((f) => f.name)).toEqual(['modelwatch-alerts.yml', 'modelwatch-recording.yml']);
    const committed = readFileSync(join(DIR, 'prometheusrule.yaml'), 'utf8');
    expect(committed, 'config/kubernetes/prometheusrule.yaml is stale: run npm run k8s:rules').toBe(buildPrometheusRule(files));
    const rule = parse(committed) as { spec: { groups: unknown[] } };
    expect(rule.spec.groups).toEqual(ruleGroups(files));
    expect(rule.spec.groups).toEqual(files.flatMap((f) => (parse(f.text) as { groups: unknown[] }).groups));
  });

  it('carry rule groups that promtool check rules accepts', () => {
    const rule = parse(readFileSync(join(DIR, 'prometheusrule.yaml'), 'utf8')) as { spec: { groups: unknown[] } };
    const dir = mkdtempSync(join(tmpdir(), 'mw-k8s-rules-'));
    try {
      const file = join(dir, 'rules.yml');
      writeFileSync(file, stringify({ groups: rule.spec.groups }));
      const res = spawnSync(requireBinary('promtool'), ['check', 'rules', file], { encoding: 'utf8' });
      expect(res.status, `${res.stdout}${res.stderr}`).toBe(0);
      const count = (rule.spec.groups as { rules: unknown[] }[]).reduce((n, g) => n + g.rules.length, 0);
      expect(res.stdout).toContain(`SUCCESS: ${count} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
