import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-cli-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('modelwatch CLI', () => {
  it('prints help and version', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('modelwatch run --config FILE');
    const version = runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^modelwatch \d+\.\d+\.\d+/);
  });

  it('check-config prints the resolved config and exits 0 for a valid file', () => {
    const p = file('ok.yaml', 'sources:\n  - type: file\n    paths: [/var/log/x.jsonl]\n');
    const r = runCli(['check-config', p]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('start_at: end');
    expect(r.stdout).toContain('listen: 0.0.0.0:9847');
  });

  it('check-config exits 2 naming file, line:column, path, expected and found', () => {
    const p = file('bad.yaml', 'sources:\n  - type: file\n    paths: 42\n');
    const r = runCli(['check-config', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${p}:3:12 sources[0].paths: expected array, got number`);
  });

  it('rejects unknown keys with a suggestion, and bad YAML, with exit 2', () => {
    expect(runCli(['check-config', file('typo.yaml', 'server:\n  lisen: ":1"\n')]).stderr).toMatch(/did you mean "listen"/);
    const yaml = runCli(['check-config', file('broken.yaml', 'sources: [\n')]);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/broken\.yaml:\d+:\d+ /);
  });

  it('exits 2 for a missing config file and for unknown commands or flags', () => {
    const missing = runCli(['run', '--config', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read file');
    expect(runCli(['frobnicate']).code).toBe(2);
    expect(runCli(['run', '--config', 'x', '--bogus']).stderr).toContain('unknown flag --bogus');
  });

  it('run --one-shot reads the log to its end and prints the exposition', () => {
    const log = file(
      'one.jsonl',
      [
        JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', model: 'm', model_version: 'v', features: { a: 1 }, latency_ms: 5, status: 200 }),
        '{not json',
        JSON.stringify({ timestamp: '2026-01-01T00:00:01Z', model: 'm', model_version: 'v', features: { a: 2 }, latency_ms: 50, status: 500, error: 'boom' }),
      ].join('\n') + '\n',
    );
    const cfg = file('one.yaml', `sources:\n  - type: file\n    paths: [${log}]\n    start_at: end\n`);
    const r = runCli(['run', '--config', cfg, '--one-shot', '--log-level', 'silent']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('modelwatch_requests_total{model="m",version="v",outcome="success",code="2xx"} 1');
    expect(r.stdout).toContain('modelwatch_requests_total{model="m",version="v",outcome="error",code="5xx"} 1');
    expect(r.stdout).toMatch(/modelwatch_log_line_errors_total\{source="file",reason="invalid_json"\} 1/);
    expect(r.stdout).toContain('modelwatch_log_lines_total{source="file"} 3');
  });

  it('run --stdin --one-shot reads piped records', () => {
    const cfg = file('stdin.yaml', 'log: { level: silent }\n');
    const input = JSON.stringify({ model: 'p', model_version: '1', features: { a: 1 }, status: 200 }) + '\n';
    const r = runCli(['run', '--config', cfg, '--stdin', '--one-shot'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('modelwatch_requests_total{model="p",version="1",outcome="success",code="2xx"} 1');
  });
});

describe('modelwatch run on real-shaped server logs', () => {
  it('reads a KServe payload-logger log (CloudEvents, request and response paired by id)', () => {
    const fixture = join(import.meta.dirname, '..', 'fixtures', 'records', 'kserve-v1-iris.jsonl');
    const cfg = file(
      'kserve.yaml',
      `sources:\n  - type: file\n    paths: [${fixture}]\n    format: { preset: kserve, feature_names: [sepal_length, sepal_width, petal_length, petal_width] }\n`,
    );
    const r = runCli(['run', '--config', cfg, '--one-shot', '--log-level', 'silent']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/modelwatch_requests_total\{model="sklearn-iris",version="[^"]+",outcome="success",code="2xx"\} [1-9]/);
    expect(r.stdout).toMatch(/modelwatch_request_duration_seconds_count\{model="sklearn-iris",version="[^"]+"\} [1-9]/);
    expect(r.stdout).toMatch(/modelwatch_data_quality_records_total\{model="sklearn-iris"/);
  });
});
