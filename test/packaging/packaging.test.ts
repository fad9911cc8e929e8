/**
 * The Dockerfile and docker-compose.yml, checked statically (no container engine here): the image is
 * built in two stages and runs unprivileged with a health check; every path the stack mounts or
 * builds from exists; the configs it mounts pass modelwatch check-config, promtool and amtool,
 * staged at their container paths so relative rule and template paths resolve as in the container.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { requireBinary } from '../helpers/binaries.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { buildContext, flagValue, hostPathOf, mounts, parseCompose, stageBindMounts } from './compose-model.js';
import { copySources, dockerignorePatterns, execForm, ignoredByDockerignore, instructions, parseDockerfile } from './dockerfile-parse.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('Dockerfile', () => {
  const stages = parseDockerfile(read('Dockerfile'));
  const build = stages[0];
  const runtime = stages[stages.length - 1];
  const runs = (stage: typeof build) => instructions(stage, 'RUN').join('\n');

  it('builds in one stage and runs production dependencies only on node:26-slim (the active LTS) in the other', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runs(build)).toMatch(/npm ci\b/);
    expect(runs(build)).toContain('npm run build');
    expect(runtime.from).toBe('node:26-slim');
    expect(build.from).toBe('node:26-slim');
    expect(runs(runtime)).toMatch(/npm ci [^\n]*--omit=dev/);
    expect(runs(runtime)).not.toContain('npm run build');
    expect(instructions(runtime, 'COPY')).toContain(`--from=${build.name} /app/dist ./dist`);
    // package.json's "prepare" runs tsc, which --omit=dev leaves out: the runtime install must skip scripts.
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    if (scripts.prepare) expect(runs(runtime)).toMatch(/npm ci [^\n]*--ignore-scripts/);
  });

  it('runs as a non-root user, exposes 9847, declares the log volume and health-checks /-/healthy', () => {
    const users = instructions(runtime, 'USER');
    expect(users.length, 'the runtime stage sets USER').toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    expect(instructions(runtime, 'EXPOSE')).toContain('9847');
    expect(instructions(runtime, 'VOLUME')).toContain('/var/log/model-server');
    const health = instructions(runtime, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]).toContain('http://127.0.0.1:9847/-/healthy');
    // No curl or wget in slim images: the check must use node.
    expect(execForm(health[0].slice(health[0].indexOf('CMD') + 4))?.[0]).toBe('node');
  });

  it('starts `node [flags] dist/cli.js run --config /etc/modelwatch/config.yaml`, whose sources exist', () => {
    const entrypoint = execForm(instructions(runtime, 'ENTRYPOINT')[0]) ?? [];
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint[entrypoint.length - 1]).toBe('dist/cli.js');
    expect(entrypoint.slice(1, -1).every((a) => a.startsWith('--')), entrypoint.join(' ')).toBe(true);
    expect(execForm(instructions(runtime, 'CMD')[0])).toEqual(['run', '--config', '/etc/modelwatch/config.yaml']);
    // tsconfig.build.json compiles src/ into dist/: the entry points the image and the stack start.
    for (const entry of ['src/cli.ts', 'src/demo/model-server.ts']) expect(existsSync(join(ROOT, entry)), entry).toBe(true);
    expect(runs(runtime)).toContain('config/example.yaml /etc/modelwatch/config.yaml');
  });

  it('sets only Node flags that Node accepts where they are set: the image starts', () => {
    // NODE_OPTIONS takes a short list of V8 flags and refuses the rest with exit 9 before any code runs
    // (`--no-maglev is not allowed in NODE_OPTIONS`): the image once shipped that way and never started.
    for (const env of instructions(runtime, 'ENV')) {
      const options = /^NODE_OPTIONS="([^"]*)"/.exec(env)?.[1];
      if (options === undefined) continue;
      const r = spawnSync(process.execPath, ['-e', 'process.exit(0)'], { env: { ...process.env, NODE_OPTIONS: options }, encoding: 'utf8' });
      expect(r.status, `ENV NODE_OPTIONS="${options}": ${r.stderr}`).toBe(0);
    }
    const flags = (execForm(instructions(runtime, 'ENTRYPOINT')[0]) ?? []).slice(1, -1);
    const r = spawnSync(process.execPath, [...flags, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(r.status, `node ${flags.join(' ')}: ${r.stderr}`).toBe(0);
  });

  it('copies only paths that exist and that .dockerignore lets into the context', () => {
    const ignore = dockerignorePatterns(read('.dockerignore'));
    const sources = stages.flatMap((s) => instructions(s, 'COPY').flatMap((c) => copySources(c) ?? []));
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      expect(existsSync(join(ROOT, src)), `COPY ${src}: not in the repo`).toBe(true);
      expect(ignoredByDockerignore(ignore, src), `COPY ${src}: excluded by .dockerignore`).toBe(false);
    }
    // The build context stays small: no node_modules, no local build output, no git history.
    for (const heavy of ['node_modules', 'dist', '.git']) expect(ignoredByDockerignore(ignore, heavy), heavy).toBe(true);
  });
});

describe('docker-compose.yml', () => {
  const compose = parseCompose(read('docker-compose.yml'));
  const { services } = compose;

  it('has the five services, and every file or directory it mounts or builds from exists in the repo', () => {
    expect(Object.keys(services).sort()).toEqual(['alertmanager', 'grafana', 'model-server', 'modelwatch', 'prometheus']);
    const needed: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      const context = buildContext(service);
      if (context !== undefined) needed.push(join(context, 'Dockerfile'));
      for (const m of mounts(service)) if (m.bind) needed.push(m.source);
      expect(service.depends_on?.every((d) => d in services) ?? true, `${name} depends on a service that does not exist`).toBe(true);
    }
    const missing = needed.filter((p) => !existsSync(join(ROOT, p)));
    expect(missing, `docker-compose.yml mounts or builds from paths missing in the repo: ${missing.join(', ')}`).toEqual([]);
  });

  it('declares its named volumes, and modelwatch reads the logs on the volume the model server writes', () => {
    const named = Object.values(services).flatMap((s) => mounts(s).filter((m) => !m.bind).map((m) => m.source));
    for (const v of named) expect(compose.volumes, `volume ${v}`).toHaveProperty(v);

    const server = services['model-server'];
    const dir = server.command![server.command!.indexOf('--dir') + 1];
    expect(server.entrypoint).toEqual(['node', 'dist/demo/model-server.js']);
    const serverLogs = mounts(server).find((m) => m.target === dir);
    expect(serverLogs, `model-server writes to ${dir}, which must be a volume`).toBeDefined();
    const sidecarLogs = mounts(services.modelwatch).find((m) => m.source === serverLogs!.source);
    expect(sidecarLogs?.readOnly).toBe(true);

    const configPath = services.modelwatch.command![services.modelwatch.command!.indexOf('--config') + 1];
    const configFile = hostPathOf(services.modelwatch, ROOT, configPath);
    expect(configFile, `${configPath} is not mounted into modelwatch`).toBe(join(ROOT, 'config/compose.yaml'));
    const config = parseConfigText(readFileSync(configFile!, 'utf8'), 'config/compose.yaml');
    for (const source of config.sources) {
      if (source.type === 'file') for (const p of source.paths) expect(p.startsWith(`${sidecarLogs!.target}/`), p).toBe(true);
    }
    // The resource collectors look for the model server in its PID namespace.
    expect(services.modelwatch.pid).toBe('service:model-server');
  });

  it('mounts a modelwatch config that `modelwatch check-config` accepts', () => {
    const res = runCli(['check-config', 'config/compose.yaml']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('valid');
  });

  it('mounts a Prometheus config that promtool accepts, rule files included, scraping compose services', () => {
    const prometheus = services.prometheus;
    const stage = stageBindMounts(prometheus, ROOT);
    try {
      const configPath = flagValue(prometheus.command, 'config.file')!;
      const res = spawnSync(requireBinary('promtool'), ['check', 'config', join(stage, configPath)], { encoding: 'utf8' });
      expect(res.status, `${res.stdout}${res.stderr}`).toBe(0);
      expect(res.stdout).toContain('2 rule files found');
      const config = parse(readFileSync(join(stage, configPath), 'utf8')) as {
        scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
        alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
      };
      const targets = [
        ...config.scrape_configs.flatMap((j) => j.static_configs.flatMap((s) => s.targets)),
        ...config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets)),
      ];
      for (const t of targets) expect(['localhost', ...Object.keys(services)], t).toContain(t.split(':')[0]);
      expect(config.scrape_configs.find((j) => j.job_name === 'modelwatch')?.static_configs[0].targets).toEqual(['modelwatch:9847']);
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  });

  it('mounts the shipped Alertmanager config and templates, which amtool accepts', () => {
    const alertmanager = services.alertmanager;
    expect(mounts(alertmanager).find((m) => m.target === '/etc/alertmanager/alertmanager.yml')?.source).toBe('prometheus/alertmanager.yml');
    const stage = stageBindMounts(alertmanager, ROOT);
    try {
      const configPath = flagValue(alertmanager.command, 'config.file')!;
      const res = spawnSync(requireBinary('amtool'), ['check-config', join(stage, configPath)], { encoding: 'utf8' });
      expect(res.status, `${res.stdout}${res.stderr}`).toBe(0);
      expect(res.stdout).toContain('1 templates');
      // The PagerDuty receiver reads its key from a file, which the stack mounts where the config looks.
      const shipped = parse(read('prometheus/alertmanager.yml')) as { receivers: { pagerduty_configs?: { routing_key_file?: string }[] }[] };
      const keyFile = shipped.receivers.flatMap((r) => r.pagerduty_configs ?? [])[0].routing_key_file!;
      expect(hostPathOf(alertmanager, ROOT, keyFile), `${keyFile} is not mounted into alertmanager`).toBeDefined();
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  });

  it('provisions Grafana with the dashboards where its provider reads them and the compose Prometheus', () => {
    const grafana = services.grafana;
    const providerDir = hostPathOf(grafana, ROOT, '/etc/grafana/provisioning/dashboards');
    const datasourceDir = hostPathOf(grafana, ROOT, '/etc/grafana/provisioning/datasources');
    expect(providerDir, 'grafana/provisioning/dashboards is missing from the repo').toBeDefined();
    expect(datasourceDir, 'grafana/provisioning/datasources is missing from the repo').toBeDefined();
    const yamlIn = (dir: string) => readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);

    const providers = yamlIn(providerDir!).flatMap((p) => (p.providers as { options: { path: string } }[] | undefined) ?? []);
    expect(providers.length).toBeGreaterThan(0);
    for (const provider of providers) {
      const dashboards = hostPathOf(grafana, ROOT, provider.options.path);
      expect(dashboards, `the provider reads ${provider.options.path}, where no repo directory is mounted`).toBeDefined();
      expect(readdirSync(dashboards!).filter((f) => f.endsWith('.json')).length, `${dashboards} holds no dashboard JSON`).toBeGreaterThan(0);
    }
    const datasources = yamlIn(datasourceDir!).flatMap((d) => (d.datasources as { type: string; url: string }[] | undefined) ?? []);
    expect(datasources.filter((d) => d.type === 'prometheus').map((d) => new URL(d.url).host)).toContain('prometheus:9090');
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    if (home) expect(hostPathOf(grafana, ROOT, home), `home dashboard ${home} is not mounted`).toBeDefined();
  });
});
