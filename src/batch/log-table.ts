/**
 * `drift --config`: a model server's request log read through the config's mapping (its first
 * records source's `format`: preset, field paths, feature names), as a table the drift report reads.
 * One row per request that did not fail: its features as columns, and its prediction under the
 * reference's `prediction_column` (else `prediction`), so the log lines up with the training file.
 */
import { readFile } from 'node:fs/promises';
import { recordsFormat } from '../config/records-format.js';
import type { Config } from '../config/schema.js';
import { systemClock } from '../core/clock.js';
import { isFailedRequest } from '../core/failed-request.js';
import { createRecordMapper } from '../records/mapper.js';
import type { ModelRecord } from '../records/model-record.js';
import type { Table } from '../tables/column.js';
import { ObjectRows, parseJsonl } from '../tables/jsonl-reader.js';
import { InputError } from '../tables/read-table.js';

export interface LogTable {
  table: Table;
  /** One line for stderr: what was read and how. */
  note: string;
}

/** Counts by what a line came to, for the note. */
function summary(path: string, from: string, lines: number, records: number, failed: number, errors: Map<string, number>): string {
  const dropped = [...errors].map(([reason, n]) => `${reason} ${n}`).join(', ');
  return `${path}: ${lines} lines → ${records} requests through ${from}${failed > 0 ? `, ${failed} failed requests left out` : ''}${dropped ? `, not requests: ${dropped}` : ''}`;
}

/**
 * Maps every line of `path`; a file no line of which is a request (a training file in JSON lines) is
 * read as a plain table instead, and the note says so.
 */
export async function readLogTable(path: string, config: Config): Promise<LogTable> {
  const mapping = recordsFormat(config);
  if (!mapping) throw new InputError('--config: the config has no records source whose format could map the log');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const mapper = createRecordMapper(mapping.format, {
    defaults: { model: config.model.name, version: config.model.version },
    pairing: config.pairing,
    clock: systemClock,
  });
  const prediction = config.reference.prediction_column ?? 'prediction';
  const rows = new ObjectRows();
  const errors = new Map<string, number>();
  const out: ModelRecord[] = [];
  let lines = 0;
  let records = 0;
  let failed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    lines++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      errors.set('invalid_json', (errors.get('invalid_json') ?? 0) + 1);
      continue;
    }
    out.length = 0;
    const outcome = mapper.map(value, out);
    if (typeof outcome === 'object') errors.set(outcome.error, (errors.get(outcome.error) ?? 0) + 1);
    for (const r of out) {
      if (isFailedRequest(r.status, r.error)) {
        failed++;
        continue;
      }
      records++;
      rows.add(r.prediction === undefined ? { ...r.features } : { ...r.features, [prediction]: r.prediction }, `line ${lines}`);
    }
  }
  if (records === 0 && failed === 0) {
    try {
      return { table: parseJsonl(text), note: `${path}: no line is a request in the format of ${mapping.from}; read as a table` };
    } catch (error) {
      throw new InputError(`${path}: ${(error as Error).message}`);
    }
  }
  return { table: rows.finish(), note: summary(path, mapping.from, lines, records, failed, errors) };
}
