/**
 * Test inputs for the batch command built from vega-datasets' cars.json: reference model years
 * 1970–1974, current 1980–1982 (the split scripts/gen_drift_fixtures.py uses), written as CSV
 * (RFC 4180 quoting) and JSONL into a temp directory.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CARS_PATH = join(process.cwd(), 'node_modules', 'vega-datasets', 'data', 'cars.json');
export const CARS_COLUMNS = ['Name', 'Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Origin'];

export type CarRow = Record<string, string | number | null>;

export function loadCars(): { reference: CarRow[]; current: CarRow[] } {
  if (!existsSync(CARS_PATH)) throw new Error(`missing ${CARS_PATH}: run npm install (vega-datasets is a dependency)`);
  const rows = JSON.parse(readFileSync(CARS_PATH, 'utf8')) as CarRow[];
  const year = (r: CarRow) => Number(String(r.Year).slice(0, 4));
  return {
    reference: rows.filter((r) => year(r) >= 1970 && year(r) <= 1974),
    current: rows.filter((r) => year(r) >= 1980 && year(r) <= 1982),
  };
}

function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) || typeof v === 'string' ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: CarRow[], columns = CARS_COLUMNS): string {
  return [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

export function toJsonl(rows: CarRow[], columns = CARS_COLUMNS): string {
  return rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c) => [c, r[c] ?? null])))).join('\n') + '\n';
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'modelwatch-drift-'));
}

export function writeInputs(dir: string): { refCsv: string; curCsv: string; refJsonl: string; curJsonl: string } {
  const { reference, current } = loadCars();
  const paths = {
    refCsv: join(dir, 'reference.csv'),
    curCsv: join(dir, 'current.csv'),
    refJsonl: join(dir, 'reference.jsonl'),
    curJsonl: join(dir, 'current.jsonl'),
  };
  writeFileSync(paths.refCsv, toCsv(reference));
  writeFileSync(paths.curCsv, toCsv(current));
  writeFileSync(paths.refJsonl, toJsonl(reference));
  writeFileSync(paths.curJsonl, toJsonl(current));
  return paths;
}

/** Collects what the command writes. */
export function captureIo(): { io: { stdout: { write(s: string): boolean }; stderr: { write(s: string): boolean }; now: () => Date }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true) },
      now: () => new Date('2024-01-01T00:00:00Z'),
    },
    out: () => out,
    err: () => err,
  };
}
