/**
 * The I/O side of batch input: reads a file and hands its bytes to the parser its extension names
 * (.csv; .jsonl / .ndjson / .json for JSON Lines; .parquet). Errors carry the path.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Table } from './column.js';
import { parseCsv } from './csv-reader.js';
import { parseJsonl } from './jsonl-reader.js';
import { parseParquet } from './parquet-reader.js';

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
  if (format === 'parquet') return parseParquet(bytes);
  return parseJsonl(bytes.toString('utf8'));
}

export async function readTable(path: string): Promise<Table> {
  const format = formatOf(path);
  if (format === undefined) {
    throw new InputError(`${path}: unknown input format (use a .csv, .jsonl, .ndjson or .parquet file)`);
  }
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
