/**
 * Parquet input end to end: the cars data as Parquet (with INT64, nullable and string columns) gives
 * the same `modelwatch drift` JSON and the same `modelwatch profile` as the CSV, and a Parquet
 * training file works as the sidecar's reference.path.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/tables/csv-reader.js';
import { runDriftCommand } from '../../src/batch/drift-command.js';
import { runProfileCommand } from '../../src/batch/profile-command.js';
import { fixtureLog } from '../helpers/fixture-log.js';
import { startSidecar } from '../helpers/sidecar.js';
import { captureIo, loadCars, tempDir, writeInputs, type CarRow } from './cars-data.js';

let dir: string;
let csv: ReturnType<typeof writeInputs>;
let refParquet: string;
let curParquet: string;

const int = (v: CarRow[string]) => (v === null || v === undefined ? null : BigInt(v));
const num = (v: CarRow[string]) => (v === null || v === undefined ? null : Number(v));

/** The cars columns with the types a Parquet export of them would have. */
function carsParquet(rows: CarRow[]): Uint8Array {
  const columnData: ColumnSource[] = [
    { name: 'Name', data: rows.map((r) => r.Name as string), type: 'STRING' },
    { name: 'Miles_per_Gallon', data: rows.map((r) => num(r.Miles_per_Gallon)), type: 'DOUBLE' },
    { name: 'Cylinders', data: rows.map((r) => int(r.Cylinders)), type: 'INT64' },
    { name: 'Displacement', data: rows.map((r) => num(r.Displacement)), type: 'DOUBLE' },
    { name: 'Horsepower', data: rows.map((r) => int(r.Horsepower)), type: 'INT64' },
    { name: 'Weight_in_lbs', data: Int32Array.from(rows, (r) => Number(r.Weight_in_lbs)), type: 'INT32', nullable: false },
    { name: 'Acceleration', data: rows.map((r) => num(r.Acceleration)), type: 'DOUBLE' },
    { name: 'Origin', data: rows.map((r) => r.Origin as string), type: 'STRING' },
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 64 }));
}

/** Any CSV as Parquet: numeric columns DOUBLE, the rest STRING (nulls where missing). */
function csvAsParquet(text: string): Uint8Array {
  const table = parseCsv(new TextEncoder().encode(text));
  const columnData: ColumnSource[] = table.columns.map((c) =>
    c.kind === 'numeric'
      ? { name: c.name, data: Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)), type: 'DOUBLE' }
      : { name: c.name, data: Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k])), type: 'STRING' },
  );
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

beforeAll(() => {
  dir = tempDir();
  csv = writeInputs(dir);
  const { reference, current } = loadCars();
  refParquet = join(dir, 'reference.parquet');
  curParquet = join(dir, 'current.parquet');
  writeFileSync(refParquet, carsParquet(reference));
  writeFileSync(curParquet, carsParquet(current));
});

async function driftJson(ref: string, cur: string): Promise<string> {
  const { io, out, err } = captureIo();
  const code = await runDriftCommand(['--reference', ref, '--current', cur, '--format', 'json', '--categorical', 'Cylinders'], io);
  expect(err()).toBe('');
  expect(code).toBe(0);
  return out();
}

describe('Parquet input', () => {
  it('modelwatch drift: Parquet and the equivalent CSV give identical JSON', async () => {
    const fromParquet = await driftJson(refParquet, curParquet);
    expect(fromParquet).toBe(await driftJson(csv.refCsv, csv.curCsv));
    const report = JSON.parse(fromParquet) as { dataset: { features: number }; features: { name: string; type: string; missing_reference: number }[] };
    expect(report.dataset.features).toBe(8);
    const type = (name: string) => report.features.find((f) => f.name === name)!.type;
    expect([type('Horsepower'), type('Weight_in_lbs'), type('Cylinders'), type('Origin')]).toEqual(['numeric', 'numeric', 'categorical', 'categorical']);
    expect(report.features.find((f) => f.name === 'Miles_per_Gallon')!.missing_reference).toBeGreaterThan(0);
    // Mixed formats line up too.
    expect(await driftJson(refParquet, csv.curJsonl)).toBe(fromParquet);
  });

  it('modelwatch profile: a Parquet training file gives the same profile as the CSV', async () => {
    const profileOf = async (data: string) => {
      const out = join(dir, `profile-${data.endsWith('.parquet') ? 'pq' : 'csv'}.json`);
      const stderr = new PassThrough();
      expect(await runProfileCommand(['--data', data, '--out', out, '--categorical', 'Cylinders,Origin', '--bins', '8'], { stdout: new PassThrough(), stderr })).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8')) as { source: string; created_at: string; rows: number; features: Record<string, { type: string }> };
    };
    const fromParquet = await profileOf(refParquet);
    const fromCsv = await profileOf(csv.refCsv);
    expect(fromParquet.rows).toBeGreaterThan(100);
    expect(fromParquet.features.Horsepower.type).toBe('numeric');
    // Everything but where and when it was made.
    expect({ ...fromParquet, source: '', created_at: '' }).toEqual({ ...fromCsv, source: '', created_at: '' });
  });

  it('a damaged Parquet file fails the batch command with its path', async () => {
    const broken = join(dir, 'broken.parquet');
    writeFileSync(broken, 'PAR1 this is not really parquet PAR1');
    const { io, err } = captureIo();
    expect(await runDriftCommand(['--reference', broken, '--current', curParquet], io)).toBe(2);
    expect(err()).toMatch(/broken\.parquet: unreadable Parquet footer/);
  });

  it('the sidecar takes a Parquet reference.path (drift, data quality and reference model quality as from the CSV)', async () => {
    const { lines, referenceCsv } = fixtureLog();
    // A label column so the model-quality analyzer reads the reference's columns too.
    const labelled = referenceCsv
      .trimEnd()
      .split('\n')
      .map((line, i) => (i === 0 ? `${line},label` : `${line},${Math.round(Number(line.split(',')[3]) * 100) / 100}`))
      .join('\n') + '\n';
    const log = join(dir, 'requests.jsonl');
    const trainCsv = join(dir, 'train.csv');
    const trainParquet = join(dir, 'train.parquet');
    writeFileSync(log, lines.join('\n') + '\n');
    writeFileSync(trainCsv, labelled);
    writeFileSync(trainParquet, csvAsParquet(labelled));
    const scrape = async (reference: string) => {
      const mw = await startSidecar(
        {
          sources: [{ type: 'file', paths: [log] }],
          reference: { path: reference, prediction_column: 'prediction', label_column: 'label' },
          drift: { windows: [{ count: 200 }], min_samples: 10 },
          resources: { enabled: false },
        },
        { oneShot: true },
      );
      await mw.drain();
      const text = await mw.metrics();
      await mw.stop();
      return text.split('\n').filter((l) => /^modelwatch_(feature_drift_score|prediction_drift|model_quality_reference|data_quality)/.test(l));
    };
    const fromParquet = await scrape(trainParquet);
    expect(fromParquet.filter((l) => l.startsWith('modelwatch_feature_drift_score')).length).toBeGreaterThan(10);
    expect(fromParquet.some((l) => l.startsWith('modelwatch_model_quality_reference'))).toBe(true);
    expect(fromParquet).toEqual(await scrape(trainCsv));
  });
});
