import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatResolvedConfig, loadConfig, parseConfigText } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = join(REPO_ROOT, 'config/example.yaml');

/** The ConfigError a text produces; fails the test when it loads. */
function errorOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    parseConfigText(text, 'config.yaml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for:\n${text}`);
}

function lines(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  return errorOf(text, env).message.split('\n');
}

describe('parseConfigText: valid documents', () => {
  it('treats an empty file, or one with only comments, as all defaults', () => {
    const defaults = configSchema.parse({});
    expect(parseConfigText('', 'config.yaml', {})).toEqual(defaults);
    expect(parseConfigText('# nothing yet\n\n', 'config.yaml', {})).toEqual(defaults);
  });

  it('checkpoints every 15 s unless told otherwise, with or without a checkpoint section, and keeps what the section sets', () => {
    expect(parseConfigText('', 'config.yaml', {}).checkpoint).toEqual({ interval: 15, state: true });
    expect(parseConfigText('checkpoint: {path: /var/lib/modelwatch/offsets.json}\n', 'config.yaml', {}).checkpoint).toEqual({ path: '/var/lib/modelwatch/offsets.json', interval: 15, state: true });
    expect(parseConfigText('checkpoint: {interval: 5s, state: false}\n', 'config.yaml', {}).checkpoint).toEqual({ interval: 5, state: false });
  });

  it('resolves durations and sizes to base units', () => {
    const cfg = parseConfigText(
      'sources:\n  - type: file\n    paths: [a.jsonl]\n    poll_interval: 500ms\n    max_line_bytes: 64KiB\npairing: {ttl: 5m}\n',
      'config.yaml',
      {},
    );
    const source = cfg.sources[0];
    expect(source.type === 'file' && source.poll_interval).toBe(0.5);
    expect(source.max_line_bytes).toBe(65536);
    expect(cfg.pairing.ttl).toBe(300);
  });
});

describe('parseConfigText: YAML syntax errors', () => {
  it('reports an unclosed flow sequence where the parser gave up', () => {
    expect(lines('server:\n  listen: [a, b\nlog: {}\n')).toEqual([
      'config.yaml:3:1 invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports a nested mapping on one line at its column', () => {
    expect(lines('log: level: info\n')).toEqual([
      'config.yaml:1:6 invalid YAML: Nested mappings are not allowed in compact mappings',
    ]);
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(lines('log:\n  level: info\nlog:\n  level: debug\n')).toEqual([
      'config.yaml:3:1 invalid YAML: Map keys must be unique',
    ]);
  });

  it('reports a tab-indented block at its line', () => {
    expect(lines('server:\n\tlisten: x\n')).toEqual(['config.yaml:2:1 invalid YAML: Tabs are not allowed as indentation']);
  });

  it('reports an alias to an anchor that does not exist at the alias', () => {
    expect(lines('log: {}\nmodel:\n  name: *nowhere\n')).toEqual([
      'config.yaml:3:9 invalid YAML: Unresolved alias (the anchor must be set before the alias): nowhere',
    ]);
  });

  it('refuses a "billion laughs" document instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [previous, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    expect(lines(levels.join('\n'))).toEqual([
      'config.yaml:1:1 invalid YAML: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });

  it('expands aliases that do resolve', () => {
    const cfg = parseConfigText('model:\n  name: &n churn\n  version: *n\n', 'config.yaml', {});
    expect(cfg.model).toEqual({ name: 'churn', version: 'churn' });
  });

  it('rejects a document that is not a mapping', () => {
    expect(lines('- a\n- b\n')).toEqual(['config.yaml:1:1 expected object, got array']);
    expect(lines('42\n')).toEqual(['config.yaml:1:1 expected object, got number']);
  });
});

describe('parseConfigText: wrong types and values, positioned at the value', () => {
  it('words type errors and points at the value node', () => {
    const text = [
      'sources:', //                     1
      '  - type: file', //               2
      '    paths: 3', //                 3
      '    start_at: middle', //         4
      '    poll_interval: true', //      5
      '    max_line_bytes: 1.5', //      6
      'pairing: {ttl: -1, max_pending: 0}', // 7
      'ingest:', //                      8
      '  enabled: "yes"', //             9
      '  bearer_token: ""', //           10
      'metrics:', //                     11
      '  latency_buckets: [0.5, 0, x]', // 12
    ].join('\n');
    expect(lines(text)).toEqual([
      'config.yaml:3:12 sources[0].paths: expected array, got number',
      'config.yaml:4:15 sources[0].start_at: expected one of beginning|end, got "middle"',
      'config.yaml:5:20 sources[0].poll_interval: expected number or string, got boolean',
      'config.yaml:6:21 sources[0].max_line_bytes: expected integer, got 1.5',
      'config.yaml:7:16 pairing.ttl: must be at least 0, got -1',
      'config.yaml:7:33 pairing.max_pending: must be greater than 0, got 0',
      'config.yaml:9:12 ingest.enabled: expected boolean, got string',
      'config.yaml:10:17 ingest.bearer_token: must not be empty',
      'config.yaml:12:26 metrics.latency_buckets[1]: must be greater than 0, got 0',
      'config.yaml:12:29 metrics.latency_buckets[2]: expected number, got string',
    ]);
  });

  it('explains a bad discriminator, a bad duration and a bad name', () => {
    const text = 'sources:\n  - type: ftp\n  - type: file\n    paths: [a]\n    poll_interval: soon\n  - type: stdin\n    name: 9lives\n';
    expect(lines(text)).toEqual([
      'config.yaml:2:11 sources[0].type: expected one of file|stdin, got "ftp"',
      'config.yaml:5:20 sources[1].poll_interval: expected a duration such as "500ms", "15s", "5m" or "1h", got "soon"',
      'config.yaml:7:11 sources[2].name: expected a short name: letters, digits, _ and -, got "9lives"',
    ]);
  });

  it('passes custom refinements through at the object they check', () => {
    const text = 'resources:\n  target:\n    pid: 5\n    cgroup: pod\n    process_name: "("\n';
    expect(lines(text)).toEqual([
      'config.yaml:3:5 resources.target: set only one of pid, pidfile, process_name, cgroup (got pid, process_name, cgroup)',
      'config.yaml:5:19 resources.target.process_name: not a valid regular expression',
    ]);
  });

  it('checks quality.score_columns against the class list', () => {
    expect(lines('quality:\n  classes: [a, b, c]\n  score_columns: [pa, pb]\n')).toEqual([
      'config.yaml:3:18 quality.score_columns: needs quality.classes with one class per column (2 columns, 3 classes)',
    ]);
    expect(lines('quality:\n  score_column: s\n  score_columns: [pa, pb]\n')[0]).toMatch(/quality.score_columns: set score_column \(binary\) or score_columns \(multiclass\), not both/);
    expect(parseConfigText('quality:\n  classes: [a, b, c]\n  score_columns: [pa, pb, pc]\n', 'config.yaml', {}).quality.score_columns).toEqual(['pa', 'pb', 'pc']);
  });

  it('points at the key when a value is written as an empty entry', () => {
    expect(lines('model:\nlog: {level: info}\n')).toEqual(['config.yaml:1:7 model: expected object, got null']);
  });

  it('carries structured issues with path, line and column', () => {
    const error = errorOf('sources:\n  - type: file\n    paths: 3\n');
    expect(error.issues).toEqual([
      { file: 'config.yaml', line: 3, column: 12, path: 'sources[0].paths', message: 'expected array, got number' },
    ]);
    expect(error.name).toBe('ConfigError');
    expect(error).toBeInstanceOf(Error);
  });
});

describe('parseConfigText: unknown keys', () => {
  it('points at the key and suggests the closest allowed key at that level', () => {
    expect(lines('server:\n  lisen: 0.0.0.0:1\n')).toEqual([
      'config.yaml:2:3 server.lisen: unknown key, did you mean "listen"?',
    ]);
  });

  it('suggests by prefix and stays quiet when nothing is close', () => {
    expect(lines('pairing:\n  max: 5\ncolour: red\n')).toEqual([
      'config.yaml:2:3 pairing.max: unknown key, did you mean "max_pending"?',
      'config.yaml:3:1 colour: unknown key',
    ]);
  });

  it('suggests from the source type actually chosen', () => {
    const text = [
      'sources:',
      '  - type: file',
      '    paths: [a]',
      '    poll_intervall: 1s',
      '  - type: stdin',
      '    poll_interval: 1s',
      '    format: {fields: {modle: m}}',
    ].join('\n');
    expect(lines(text)).toEqual([
      'config.yaml:4:5 sources[0].poll_intervall: unknown key, did you mean "poll_interval"?',
      'config.yaml:6:5 sources[1].poll_interval: unknown key',
      'config.yaml:7:23 sources[1].format.fields.modle: unknown key, did you mean "model"?',
    ]);
  });

  it('quotes keys that are not plain words in the path', () => {
    expect(lines('server:\n  "my key": 1\n')).toEqual(['config.yaml:2:3 server["my key"]: unknown key']);
  });
});

describe('parseConfigText: missing required keys', () => {
  it('points at the enclosing mapping', () => {
    const text = 'sources:\n  - type: file\n    start_at: end\n  - role: labels\n';
    expect(lines(text)).toEqual([
      'config.yaml:2:5 sources[0].paths: required, missing',
      'config.yaml:4:5 sources[1].type: required, missing',
    ]);
  });
});

describe('parseConfigText: environment interpolation', () => {
  const doc = (value: string) => `server:\n  listen: ${value}\n`;

  it('substitutes a set variable', () => {
    expect(parseConfigText(doc('"${HOST}:${PORT}"'), 'c.yaml', { HOST: '127.0.0.1', PORT: '9000' }).server.listen).toBe(
      '127.0.0.1:9000',
    );
  });

  it('uses the default when the variable is unset or empty', () => {
    expect(parseConfigText(doc('${LISTEN:-0.0.0.0:1}'), 'c.yaml', {}).server.listen).toBe('0.0.0.0:1');
    expect(parseConfigText(doc('${LISTEN:-0.0.0.0:1}'), 'c.yaml', { LISTEN: '' }).server.listen).toBe('0.0.0.0:1');
    expect(parseConfigText(doc('${LISTEN:-0.0.0.0:1}'), 'c.yaml', { LISTEN: 'h:2' }).server.listen).toBe('h:2');
  });

  it('names a missing variable with its line and column', () => {
    expect(lines('log: {level: info}\nserver:\n  listen: "${LISTEN}"\n')).toEqual([
      'config.yaml:3:11 server.listen: environment variable LISTEN is not set (write ${LISTEN:-default} to give a default)',
    ]);
  });

  it('reports a variable inside a list item with its index', () => {
    expect(lines('sources:\n  - type: file\n    paths:\n      - a\n      - ${LOG_DIR}/b\n')).toEqual([
      'config.yaml:5:9 sources[0].paths[1]: environment variable LOG_DIR is not set (write ${LOG_DIR:-default} to give a default)',
    ]);
  });

  it('keeps $${ as a literal ${', () => {
    expect(parseConfigText(doc('"$${NOT_A_VAR} ${A}"'), 'c.yaml', { A: 'x' }).server.listen).toBe('${NOT_A_VAR} x');
  });

  it('rejects an unterminated or malformed reference', () => {
    expect(lines(doc('"${OOPS"'))).toEqual([
      'config.yaml:2:11 server.listen: unterminated "${" (write "$${" for a literal "${")',
    ]);
    expect(lines(doc('"${1BAD}"'))[0]).toMatch(/^config\.yaml:2:11 server\.listen: invalid variable reference "\$\{1BAD\}"/);
  });

  it('types an unquoted result as YAML would and keeps a quoted one a string', () => {
    const cfg = parseConfigText('pairing:\n  max_pending: ${PENDING:-5000}\nmodel:\n  version: "${V}"\n', 'c.yaml', { V: '3' });
    expect(cfg.pairing.max_pending).toBe(5000);
    expect(cfg.model.version).toBe('3');
    expect(lines('model:\n  version: ${V}\n', { V: '3' })).toEqual([
      'config.yaml:2:12 model.version: expected string, got number',
    ]);
  });

  it('never substitutes inside keys or lets a value change the structure', () => {
    expect(lines('${K}: 1\n', { K: 'server' })).toEqual(['config.yaml:1:1 ["${K}"]: unknown key']);
    const cfg = parseConfigText(doc('${V}'), 'c.yaml', { V: 'a\nlog: {level: debug}' });
    expect(cfg.server.listen).toBe('a\nlog: {level: debug}');
    expect(cfg.log.level).toBe('info');
  });
});

describe('loadConfig', () => {
  it('reports a missing file with its name and the system error', () => {
    const missing = join(tmpdir(), 'modelwatch-no-such-dir', 'config.yaml');
    expect(() => loadConfig(missing, {})).toThrow(ConfigError);
    try {
      loadConfig(missing, {});
    } catch (error) {
      expect((error as ConfigError).message).toMatch(new RegExp(`^${missing.replace(/[.\\/]/g, '\\$&')}: cannot read file: ENOENT`));
      expect((error as ConfigError).issues[0]).toMatchObject({ file: missing, line: 0, column: 0 });
    }
  });

  it('reports a directory as unreadable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelwatch-config-'));
    expect(() => loadConfig(dir, {})).toThrow(/cannot read file: EISDIR/);
  });

  it('reads a file and names it as given in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelwatch-config-'));
    const file = join(dir, 'modelwatch.yaml');
    writeFileSync(file, 'log:\n  level: debug\n');
    expect(loadConfig(file, {}).log.level).toBe('debug');
    writeFileSync(file, 'log:\n  levl: debug\n');
    expect(() => loadConfig(file, {})).toThrow(`${file}:2:3 log.levl: unknown key, did you mean "level"?`);
  });
});

describe('config/example.yaml', () => {
  it('is valid and reads the documented model-server logs', () => {
    const cfg = loadConfig(EXAMPLE, {});
    expect(cfg.sources).toHaveLength(1);
    expect(cfg.sources[0]).toMatchObject({ type: 'file', paths: ['/var/log/model-server/*.jsonl'], format: { preset: 'generic' } });
  });

  it('shows the defaults: apart from the named source and drift.thresholds it resolves like an empty file', () => {
    const { sources: _sources, ...rest } = loadConfig(EXAMPLE, {});
    const { sources: _none, ...defaults } = configSchema.parse({});
    // New configs start with calibrated thresholds; the schema default stays fixed for existing ones.
    expect(rest.drift.thresholds).toBe('auto');
    expect(defaults.drift.thresholds).toEqual({});
    expect(rest).toEqual({ ...defaults, drift: { ...defaults.drift, thresholds: 'auto' } });
  });

  it('mentions every key of the schema', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const missing = schemaKeys().filter((key) => !new RegExp(`^\\s*#?\\s*-?\\s*${key}:`, 'm').test(text));
    expect(missing, 'document these keys in config/example.yaml and docs/config.md').toEqual([]);
  });
});

describe('docs/config.md', () => {
  it('has a heading for every top-level key and mentions every nested key', () => {
    const text = readFileSync(join(REPO_ROOT, 'docs/config.md'), 'utf8');
    const topLevel = Object.keys(configSchema.shape);
    // Exactly one heading each: sections are appended by whoever adds a key, so catch a duplicate too.
    const headingCount = (key: string) => text.split('\n').filter((line) => line === `## \`${key}\``).length;
    expect(topLevel.filter((key) => headingCount(key) !== 1)).toEqual([]);
    // A nested key may be written on its own (`timeout`) or dotted (`gpu.timeout`).
    expect(schemaKeys().filter((key) => !new RegExp(`[\`.]${key}[\`.]`).test(text))).toEqual([]);
  });
  it('shows the error output its example config really produces', () => {
    const text = readFileSync(join(REPO_ROOT, 'docs/config.md'), 'utf8');
    const errors = text.slice(text.indexOf('## Errors'));
    const example = /```yaml\n([\s\S]*?)```\n\ngives\n\n```\n([\s\S]*?)```/.exec(errors);
    expect(example, 'docs/config.md: the Errors section needs a ```yaml example followed by "gives" and its output').not.toBeNull();
    const [, config, output] = example ?? [];
    expect(errorOf(config).message).toBe(output.trimEnd());
  });
});

describe('formatResolvedConfig', () => {
  it('prints YAML that loads back to the same config', () => {
    const cfg = loadConfig(EXAMPLE, {});
    expect(parseConfigText(formatResolvedConfig(cfg), 'resolved.yaml', {})).toEqual(cfg);
  });

  it('redacts the bearer token', () => {
    const cfg = parseConfigText('ingest:\n  bearer_token: s3cret-token\n', 'c.yaml', {});
    const printed = formatResolvedConfig(cfg);
    expect(printed).not.toContain('s3cret-token');
    expect(printed).toContain('bearer_token: <redacted>');
    expect(cfg.ingest.bearer_token).toBe('s3cret-token');
  });
});

describe('parseConfigText: robustness', () => {
  const expectOnlyConfigErrors = (text: string) => {
    try {
      parseConfigText(text, 'fuzz.yaml', { SET: 'value' });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const issue of error.issues) {
        expect(issue.file).toBe('fuzz.yaml');
        expect(issue.line).toBeGreaterThanOrEqual(1);
        expect(issue.column).toBeGreaterThanOrEqual(1);
      }
    }
  };

  it('throws nothing but ConfigError on random text', () => {
    const yamlish = fc.string({ unit: fc.constantFrom(...'ab: -[]{}&*!|>\'"#%@`,?\n\t${}:'.split('')), maxLength: 80 });
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 80 }), yamlish), expectOnlyConfigErrors), { numRuns: 300 });
  });

  it('throws nothing but ConfigError on random JSON-ish documents shaped like a config', () => {
    const keys = [...new Set([...schemaKeys(), 'type', 'file', 'stdin', 'x'])];
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.constantFrom('file', 'stdin', '5m', '10MiB', '${SET}', '${UNSET}', '$${x}', 'generic', 'kserve'),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...keys), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (doc) => expectOnlyConfigErrors(stringify(doc))),
      { numRuns: 200 },
    );
  });
});

/** Every key name the schema allows anywhere (both source types included). */
function schemaKeys(): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    const shape = objectShape(node);
    if (!shape) return;
    for (const [key, child] of Object.entries(shape)) {
      found.add(key);
      walk(child);
    }
  };
  walk(configSchema);
  return [...found];
}

/** The shape of an object schema under defaults, optionals, pipes, arrays and unions; merged over union branches. */
function objectShape(schema: unknown): Record<string, unknown> | undefined {
  if (typeof schema !== 'object' || schema === null || !('def' in schema)) return undefined;
  const def = (schema as { def: Record<string, unknown> }).def;
  switch (def.type) {
    case 'object':
      return def.shape as Record<string, unknown>;
    case 'default':
    case 'optional':
    case 'nullable':
    case 'prefault':
      return objectShape(def.innerType);
    case 'pipe':
      return objectShape(def.in);
    case 'array':
      return objectShape(def.element);
    case 'record':
      return objectShape(def.valueType);
    case 'union':
      return Object.assign({}, ...(def.options as unknown[]).map((option) => objectShape(option) ?? {}));
    default:
      return undefined;
  }
}
