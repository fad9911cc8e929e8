/**
 * The shipped build is one esbuild bundle (scripts/bundle.mjs). What a bundle can break that tsc's
 * per-file output does not: a package that finds its files by path (pino's transports), CommonJS
 * packages calling require() inside an ES module, the version read from package.json, zod's error
 * wording. Each is checked on the real command, bundled from src/ as `npm run build` bundles dist/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

// Two folders below the package root, like dist/bundle/: the bundle reads ../../package.json.
const out = join(ROOT, '.bench', `bundle-test-${process.pid}`);
const dir = mkdtempSync(join(tmpdir(), 'mw-bundle-'));

beforeAll(() => {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), join(ROOT, 'src', 'cli.ts'), out], { cwd: ROOT, encoding: 'utf8' });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
}, 60_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

function bundled(args: string[]) {
  const r = spawnSync(process.execPath, [join(out, 'cli.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the bundled command', () => {
  it('prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(bundled(['--version']).stdout).toBe(`modelwatch ${version}\n`);
  });

  it('runs a config one-shot, logging through pino-pretty without a transport worker', () => {
    const log = join(dir, 'server.log');
    writeFileSync(log, '{"id":"1","input":{"a":1.5,"b":"x"},"output":0.3,"code":200,"ms":12.1}\n{"id":"2","error":"overloaded","code":503,"ms":0.5}\n');
    const cfg = join(dir, 'ok.yaml');
    writeFileSync(cfg, `model: { name: m, version: "1" }\nsources:\n  - type: file\n    paths: [${log}]\n    format:\n      fields: { request_id: id, features: input, prediction: output, status: code, latency: ms, latency_unit: ms }\n`);
    const r = bundled(['run', '--config', cfg, '--one-shot', '--log-level', 'info', '--log.format', 'pretty']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(\d+\): /m);
    expect(r.stdout).toContain('modelwatch_requests_total{model="m",version="1",outcome="success",code="2xx"} 1');
    expect(r.stdout).toContain('modelwatch_requests_total{model="m",version="1",outcome="error",code="5xx"} 1');
    // The Node metrics are there (modelwatch's own, prom-client's names); no worker port.
    expect(r.stdout).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(r.stdout).not.toContain('type="MessagePort"');
  });

  it("names file, line, path, expected and found in a config error, as zod's own wording is bundled", () => {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'sources:\n  - type: filez\n    paths: [/x.log]\ndrift:\n  bins: 1\n');
    const r = bundled(['check-config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:2:11 sources[0].type: expected one of file|stdin, got "filez"`);
    expect(r.stderr).toContain(`${cfg}:5:9 drift.bins: must be at least 2, got 1`);
  });
});
