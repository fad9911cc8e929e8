/**
 * The first hour of a new user (issue 14): their own log shape, a config written from the docs, the
 * real CLI. Each test asserts what the user sees: the exposition, the log lines, the exit code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-first-hour-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A small Flask-style server's own log: features under `input`, status under `code`, latency in ms. */
const SERVER_LOG = [
  '{"id":"1","ts":"2026-01-01T00:00:00Z","input":{"a":1.5,"b":"x"},"output":0.3,"code":200,"ms":12.1}',
  '{"id":"2","ts":"2026-01-01T00:00:01Z","error":"JSONDecodeError: Expecting value: line 1 column 1 (char 0)","code":400,"ms":0.087}',
  '{"id":"3","ts":"2026-01-01T00:00:02Z","error":"overloaded","code":503,"ms":0.5}',
  '{"id":"4","ts":"2026-01-01T00:00:03Z","input":{"a":2.5,"b":"y"},"output":0.7,"code":200,"ms":15}',
];
const FIELDS = '{ timestamp: ts, request_id: id, features: input, prediction: output, status: code, latency: ms, latency_unit: ms }';

describe('failed requests without features', () => {
  it('count as requests with their outcome, latency and reason, not as line errors; data quality skips them', () => {
    const log = file('server.log', SERVER_LOG.join('\n') + '\n');
    const cfg = file('failed.yaml', `model: { name: m, version: "1" }\nsources:\n  - type: file\n    paths: [${log}]\n    format:\n      fields: ${FIELDS}\n`);
    // The old --log-level spelling still works; --log.format pretty is for people, even off a terminal.
    const r = runCli(['run', '--config', cfg, '--one-shot', '--log-level', 'info', '--log.format', 'pretty']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(\d+\): /m);
    expect(r.stderr).not.toMatch(/^\{/m);
    const m = r.stdout;
    expect(m).toContain('modelwatch_requests_total{model="m",version="1",outcome="success",code="2xx"} 2');
    expect(m).toContain('modelwatch_requests_total{model="m",version="1",outcome="error",code="4xx"} 1');
    expect(m).toContain('modelwatch_requests_total{model="m",version="1",outcome="error",code="5xx"} 1');
    expect(m).toContain('modelwatch_request_duration_seconds_count{model="m",version="1"} 4');
    expect(m).toContain('modelwatch_prediction_errors_total{model="m",version="1",reason="overloaded"} 1');
    expect(m).toContain('modelwatch_data_quality_records_total{model="m",version="1"} 2');
    expect(m).not.toMatch(/modelwatch_log_line_errors_total\{[^}]*\} [1-9]/);
  });
});

/** The JSON log lines a run wrote on stderr. */
function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('--stdin', () => {
  it("maps piped lines like the config's records source and says so at startup", () => {
    const cfg = file(
      'stdin.yaml',
      `model: { name: m, version: "1" }\nsources:\n  - type: file\n    name: server\n    paths: [${join(dir, 'not-yet', '*.log')}]\n    format:\n      fields: ${FIELDS}\n`,
    );
    const r = runCli(['run', '--config', cfg, '--stdin', '--one-shot', '--log.level', 'info', '--log.format', 'json'], { input: SERVER_LOG.join('\n') + '\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('modelwatch_requests_total{model="m",version="1",outcome="success",code="2xx"} 2');
    expect(r.stdout).toContain('modelwatch_requests_total{model="m",version="1",outcome="error",code="4xx"} 1');
    expect(r.stdout).toContain('modelwatch_log_lines_total{source="stdin"} 4');
    const mapping = logLines(r.stderr).find((l) => String(l.msg).startsWith('stdin mapping'));
    expect(mapping).toMatchObject({ msg: 'stdin mapping: sources[0] (file "server")', preset: 'generic', features: 'input', status: 'code' });
  });
});

/** 60 training rows with the label column left in: too few rows for 10 bins, and `target` would be a feature. */
function trainingCsv(): string {
  const rows = ['a,b,target'];
  for (let i = 0; i < 60; i++) rows.push(`${(i % 7) + 0.5},${i % 2 ? 'x' : 'y'},${i % 3}`);
  return rows.join('\n') + '\n';
}

describe('reference and path mistakes surface at once', () => {
  const train = file('train.csv', trainingCsv());
  const config = (reference: string) =>
    `model: { name: m, version: "1" }\nreference: { path: ${reference} }\nsources:\n  - type: file\n    paths: [${join(dir, 'logs', '*.jsonl')}]\n    format:\n      fields: ${FIELDS}\n`;

  it('check-config: a missing reference file is an error naming the key and the file', () => {
    const missing = join(dir, 'nope.csv');
    const cfg = file('missing-ref.yaml', config(missing));
    const r = runCli(['check-config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}: reference.path: cannot read reference ${missing}: ENOENT`);
    expect(r.stderr).not.toContain('valid');
  });

  it('check-config: warns of a label column profiled as a feature, a small reference and a log glob that matches nothing', () => {
    const cfg = file('pitfalls.yaml', config(train));
    const r = runCli(['check-config', cfg]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`found: reference.path: ${train}: 60 rows, 3 features: a (numeric), b (categorical), target (numeric)`);
    expect(r.stderr).toMatch(/warning: reference column "target" of .* looks like the label .*; set reference\.label_column: target/);
    expect(r.stderr).toMatch(/warning: reference .* has 60 rows, fewer than 450 \(50 × \(drift\.bins − 1\) for 10 bins\)/);
    expect(r.stderr).toContain(`warning: sources[0].paths: ${join(dir, 'logs', '*.jsonl')} matches no file`);
    expect(r.stderr.trimEnd().split('\n').pop()).toBe(`${cfg}: valid`);
  });

  it('run: startup logs the feature names and types and the same warnings; the reference size is a metric', () => {
    const cfg = file('pitfalls-run.yaml', config(train));
    const r = runCli(['run', '--config', cfg, '--stdin', '--one-shot', '--log.format', 'json'], { input: SERVER_LOG.join('\n') + '\n' });
    expect(r.code).toBe(0);
    const logs = logLines(r.stderr);
    expect(logs.find((l) => String(l.msg).startsWith('reference profile loaded'))).toMatchObject({
      msg: 'reference profile loaded: 60 rows, features a, b, target',
      features: { a: 'numeric', b: 'categorical', target: 'numeric' },
      rows: 60,
    });
    const warned = logs.filter((l) => l.level === 40).map((l) => l.check);
    expect(warned).toEqual(expect.arrayContaining(['label_column', 'small_reference']));
    expect(r.stdout).toContain('modelwatch_reference_rows{model="m",version="1"} 60');
  });
});

describe('dropped lines', () => {
  it('are logged with reason, file, offset and a sample; every reason is exported at 0 from the start', () => {
    const torn = '{"id":"5","ts":"2026-01-01T00:00:04Z","input":{"a":';
    const log = file('torn.log', [SERVER_LOG[0], torn, SERVER_LOG[3]].join('\n') + '\n');
    const cfg = file(
      'torn.yaml',
      `model: { name: m, version: "1" }\nsources:\n  - type: file\n    name: server\n    paths: [${log}]\n    format:\n      fields: ${FIELDS}\n  - type: file\n    role: labels\n    paths: [${join(dir, 'labels', '*.jsonl')}]\n`,
    );
    const r = runCli(['run', '--config', cfg, '--one-shot', '--log.level', 'warn', '--log.format', 'json']);
    expect(r.code).toBe(0);
    expect(logLines(r.stderr).find((l) => l.msg === 'line skipped: invalid_json')).toMatchObject({
      source: 'server',
      reason: 'invalid_json',
      file: log,
      offset: SERVER_LOG[0].length + 1,
      sample: torn,
    });
    expect(r.stdout).toContain('modelwatch_log_line_errors_total{source="server",reason="invalid_json"} 1');
    expect(r.stdout).toContain('modelwatch_log_line_errors_total{source="server",reason="bad_timestamp"} 0');
    expect(r.stdout).toContain('modelwatch_log_line_errors_total{source="labels",reason="missing_label"} 0');
  });
});

describe('a busy port', () => {
  it('is one line naming the address and the flag to change, exit 2, no stack trace', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(holder.address() as AddressInfo).port}`;
    try {
      const cfg = file('busy.yaml', 'log: { level: warn }\n');
      const r = runCli(['run', '--config', cfg, '--web.listen-address', address]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `modelwatch: cannot listen on ${address}: address already in use (another process listens there); choose another address with --web.listen-address (or server.listen in the config)\n`,
      );
    } finally {
      holder.close();
    }
  });
});
