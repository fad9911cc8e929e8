import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDriftCommand } from '../../src/batch/drift-command.js';
import type { DriftReportJson } from '../../src/batch/format-json.js';
import { close, loadCases } from '../stats/drift-fixtures.js';
import { CARS_COLUMNS, captureIo, loadCars, tempDir, writeInputs, type CarRow } from './cars-data.js';

let dir: string;
let inputs: ReturnType<typeof writeInputs>;

beforeAll(() => {
  dir = tempDir();
  inputs = writeInputs(dir);
});

async function runJson(ref: string, cur: string, extra: string[] = []): Promise<DriftReportJson> {
  const { io, out, err } = captureIo();
  const code = await runDriftCommand(['drift', '--reference', ref, '--current', cur, '--format', 'json', '--categorical', 'Cylinders', ...extra], io);
  expect(err()).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out()) as DriftReportJson;
}

function expectMatchesFixtures(report: DriftReportJson): void {
  const carCases = loadCases().filter((c) => c.name.startsWith('cars/'));
  expect(carCases.length).toBe(7);
  for (const c of carCases) {
    const name = c.name.slice('cars/'.length);
    const feature = report.features.find((f) => f.name === name)!;
    expect(feature, name).toBeDefined();
    expect(feature.type).toBe(c.type);
    expect(feature.missing_reference).toBe(c.missing_reference);
    expect(feature.missing_current).toBe(c.missing_current);
    expect(feature.n_reference).toBe(c.reference.length - c.missing_reference);
    const m = feature.methods as unknown as Record<string, Record<string, number | null>>;
    for (const key of ['psi', 'kl_divergence', 'jensen_shannon', 'hellinger'] as const) {
      expect(close(m[key].value!, c.expected[key]), `${name} ${key}: ${m[key].value} vs ${c.expected[key]}`).toBe(true);
    }
    if (c.type === 'numeric') {
      expect(close(m.ks.statistic!, c.expected.ks!.statistic)).toBe(true);
      expect(Math.abs(m.ks.p_value! - c.expected.ks!.p_value!)).toBeLessThanOrEqual(1e-3);
      expect(close(m.wasserstein.value!, c.expected.wasserstein!)).toBe(true);
      expect(m.chi_squared).toBeUndefined();
    } else {
      expect(close(m.chi_squared.statistic!, c.expected.chi_squared!.statistic)).toBe(true);
      expect(close(m.chi_squared.p_value!, c.expected.chi_squared!.p_value!)).toBe(true);
      expect(m.ks).toBeUndefined();
    }
    expect(feature.primary_method).toBe('psi');
    expect(feature.drifted).toBe(m.psi.value! >= 0.2);
  }
}

describe('modelwatch drift on the cars data', () => {
  it('CSV input: json output matches the numpy/scipy fixtures', async () => {
    const report = await runJson(inputs.refCsv, inputs.curCsv);
    expectMatchesFixtures(report);
    expect(Object.keys(report)).toEqual(['dataset', 'features', 'multivariate']);
    expect(Object.keys(report.features[0])).toEqual([
      'name', 'type', 'n_reference', 'n_current', 'missing_reference', 'missing_current', 'bins_compared', 'primary_method', 'drifted', 'methods',
    ]);
    const { dataset } = report;
    expect(dataset.features).toBe(8); // 7 fixture features + Name
    expect(dataset.drifted_features).toBe(report.features.filter((f) => f.drifted).length);
    expect(dataset.drift_share).toBe(dataset.drifted_features / dataset.features);
    expect(dataset.drifted).toBe(dataset.drift_share >= 0.5);
  });

  it('JSONL input gives the same report as CSV', async () => {
    const fromJsonl = await runJson(inputs.refJsonl, inputs.curJsonl);
    expectMatchesFixtures(fromJsonl);
    expect(fromJsonl).toEqual(await runJson(inputs.refCsv, inputs.curCsv));
  });

  it('--methods limits the methods and --bins changes the binning', async () => {
    const report = await runJson(inputs.refCsv, inputs.curCsv, ['--methods', 'ks,chi_squared']);
    const hp = report.features.find((f) => f.name === 'Horsepower')!;
    expect(Object.keys(hp.methods)).toEqual(['ks']);
    expect(hp.primary_method).toBe('ks');
    const origin = report.features.find((f) => f.name === 'Origin')!;
    expect(Object.keys(origin.methods)).toEqual(['chi_squared']);
    const fewer = await runJson(inputs.refCsv, inputs.curCsv, ['--bins', '4']);
    const ten = await runJson(inputs.refCsv, inputs.curCsv);
    const psi = (r: DriftReportJson) => (r.features.find((f) => f.name === 'Weight_in_lbs')!.methods.psi as { value: number }).value;
    expect(psi(fewer)).not.toBe(psi(ten));
  });

  it('--fail-on-drift exits 1 only when the dataset drifted', async () => {
    const drifting = captureIo();
    expect(await runDriftCommand(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--fail-on-drift'], drifting.io)).toBe(1);
    const same = captureIo();
    expect(await runDriftCommand(['--reference', inputs.refCsv, '--current', inputs.refCsv, '--fail-on-drift'], same.io)).toBe(0);
    expect(same.out()).toMatch(/not drifted \(0 of 8 features/);
  });

  it('table output lists drifted features first, with a summary line', async () => {
    const { io, out } = captureIo();
    expect(await runDriftCommand(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--categorical', 'Cylinders'], io)).toBe(0);
    const lines = out().split('\n');
    expect(lines[0]).toMatch(/^Dataset drift: DRIFTED \(\d+ of 8 features/);
    const rows = lines.slice(4).filter((l) => / (YES|no) /.test(l));
    expect(rows.length).toBe(8);
    const flags = rows.map((r) => r.includes(' YES '));
    expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
  });

  it('--out writes the report to a file', async () => {
    const target = join(dir, 'report.json');
    const { io, out } = captureIo();
    expect(await runDriftCommand(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--format=json', `--out=${target}`], io)).toBe(0);
    expect(out()).toBe('');
    expect(JSON.parse(readFileSync(target, 'utf8')).dataset.features).toBe(8);
  });
});

describe("modelwatch drift on a model server's own log", () => {
  const { current } = loadCars();
  const features = (r: CarRow) => Object.fromEntries(CARS_COLUMNS.filter((c) => c !== 'Name').map((c) => [c, r[c] ?? null]));

  it('flattens a nested features object into columns', async () => {
    const nested = join(dir, 'nested.jsonl');
    writeFileSync(nested, current.map((r, i) => JSON.stringify({ id: `r${i}`, features: features(r) })).join('\n') + '\n');
    const report = await runJson(inputs.refCsv, nested);
    expect(report.features.map((f) => f.name).sort()).toEqual(CARS_COLUMNS.filter((c) => c !== 'Name').sort());
    const flat = await runJson(inputs.refCsv, inputs.curCsv);
    expect(report.features.find((f) => f.name === 'Horsepower')).toEqual(flat.features.find((f) => f.name === 'Horsepower'));
  });

  it("--config reads the log through the config's mapping; failed requests and torn lines stay out", async () => {
    const log = join(dir, 'server.log');
    const lines = current.map((r, i) => JSON.stringify({ id: `r${i}`, payload: { inputs: features(r) }, out: { mpg: r.Miles_per_Gallon }, code: 200 }));
    lines.push('{"id":"x1","error":"JSONDecodeError","code":400}', '{"id":"x2","payl');
    writeFileSync(log, lines.join('\n') + '\n');
    const cfg = join(dir, 'server.yaml');
    writeFileSync(cfg, 'sources:\n  - type: file\n    name: server\n    paths: [/var/log/server.log]\n    format:\n      fields: { request_id: id, features: payload.inputs, prediction: out.mpg, status: code }\n');
    const { io, out, err } = captureIo();
    expect(await runDriftCommand(['--reference', inputs.refCsv, '--current', log, '--config', cfg, '--format', 'json'], io)).toBe(0);
    expect(err()).toBe(`${log}: ${current.length + 2} lines → ${current.length} requests through sources[0] (file "server"), 1 failed requests left out, not requests: invalid_json 1\n`);
    const report = JSON.parse(out()) as DriftReportJson;
    expect(report.features.find((f) => f.name === 'Horsepower')!.n_current).toBe(current.filter((r) => r.Horsepower !== null).length);
    // The prediction lines up with the training file's column when the config names it.
    writeFileSync(cfg, readFileSync(cfg, 'utf8') + 'reference: { prediction_column: Miles_per_Gallon }\n');
    const named = captureIo();
    expect(await runDriftCommand(['--reference', inputs.refCsv, '--current', log, '--config', cfg, '--format', 'json'], named.io)).toBe(0);
    expect((JSON.parse(named.out()) as DriftReportJson).features.map((f) => f.name)).toContain('Miles_per_Gallon');
  });
});

describe('modelwatch drift errors exit 2 with a clear message', () => {
  async function fails(argv: string[], message: RegExp): Promise<void> {
    const { io, err } = captureIo();
    expect(await runDriftCommand(argv, io)).toBe(2);
    expect(err()).toMatch(message);
  }

  it('unreadable file, unknown format', async () => {
    await fails(['--reference', join(dir, 'nope.csv'), '--current', inputs.curCsv], /cannot read .*nope\.csv: ENOENT/);
    await fails(['--reference', join(dir, 'x.xlsx'), '--current', inputs.curCsv], /unknown input format/);
  });

  it('no common columns, empty data, malformed CSV', async () => {
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'zzz\n1\n');
    await fails(['--reference', inputs.refCsv, '--current', other], /no column in common; reference columns: Name, Miles_per_Gallon, Cylinders, .*Origin; current columns: zzz$/m);
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, 'Horsepower,Origin\n');
    await fails(['--reference', inputs.refCsv, '--current', empty], /current data has no rows/);
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'a\n"unterminated\n');
    await fails(['--reference', broken, '--current', inputs.curCsv], /broken\.csv: line 2: unterminated/);
  });

  it('bad flags', async () => {
    await fails(['--reference', inputs.refCsv], /--reference and --current are required/);
    await fails(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--format', 'xml'], /--format must be/);
    await fails(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--methods', 'psi,foo'], /unknown method foo/);
    await fails(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--bins', '1'], /--bins must be/);
    await fails(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--verbose'], /unknown flag --verbose/);
    await fails(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--categorical', 'Nope'], /--categorical names "Nope"/);
    await fails(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--out', join(dir, 'no', 'such', 'dir.txt')], /cannot write/);
  });

  it('--help prints usage and exits 0', async () => {
    const { io, out } = captureIo();
    expect(await runDriftCommand(['--help'], io)).toBe(0);
    expect(out()).toMatch(/usage: modelwatch drift/);
  });
});
