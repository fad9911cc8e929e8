/**
 * The I/O side of batch input: reads a file and hands its bytes to the parser its extension names
 * (.csv; .jsonl / .ndjson / .json for JSON Lines; .parquet). Errors carry the path.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Table } from './column.js';
import { parseCsv } from './csv-reader.js';
import { parseJsonl } from './jsonl-reader.js';

/**
 * The Parquet reader (hyparquet and its codecs, ~20 MiB resident) is loaded only when a Parquet file
 * is actually read: every async entry point calls loadParquetSupport() first, so parseTable can
 * stay synchronous for the sidecar's reference loader.
 */
let parquet: typeof import('./parquet-reader.js') | undefined;

export async function loadParquetSupport(): Promise<void> {
  parquet ??= await import('./parquet-reader.js');
}

/** Loads the Parquet reader when `path` is a Parquet file; a no-op for every other format. */
export async function prepareFormat(path: string | undefined): Promise<void> {
  if (path !== undefined && formatOf(path) === 'parquet') await loadParquetSupport();
}

export class InputError extends Error {}

export type InputFormat = 'csv' | 'jsonl' | 'parquet';

export function formatOf(path: string): InputFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  if (ext === '.parquet') return 'parquet';
  return undefined;
}

/** The parser for a format; pure and synchronous for every format, so the sidecar's reference loader can share it. */
export function parseTable(format: InputFormat, bytes: Buffer): Table {
  if (format === 'csv') return parseCsv(bytes);
  if (format === 'parquet') {
    if (!parquet) throw new Error('the Parquet reader is not loaded (call prepareFormat or loadParquetSupport first)');
    return parquet.parseParquet(bytes);
  }
  return parseJsonl(bytes.toString('utf8'));
}

export async function readTable(path: string): Promise<Table> {
  const format = formatOf(path);
  if (format === undefined) {
    throw new InputError(`${path}: unknown input format (use a .csv, .jsonl, .ndjson or .parquet file)`);
  }
  await prepareFormat(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseTable(format, bytes);
  } catch (error) {
    throw new InputError(`${path}: ${(error as Error).message}`);
  }
}
