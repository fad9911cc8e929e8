/**
 * JSON Lines input (or one JSON array of objects): one JSON object per line, keys are columns (the union over all lines; a key a
 * line lacks is missing there). JSON numbers are numbers; null and the strings "", "NA", "null",
 * "NaN" are missing; other strings, booleans and nested values are categories (nested ones by their
 * JSON text). A JSON string is text even when it looks like a number. Pure: text in, Table out.
 */
import { ColumnBuilder, type Table } from './column.js';
import { MISSING_TEXTS } from './number-text.js';

export class JsonlError extends Error {}

export function parseJsonl(text: string): Table {
  const builders = new Map<string, ColumnBuilder>();
  let rows = 0;
  const addRecord = (record: unknown, where: string): void => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new JsonlError(`${where}: expected a JSON object`);
    }
    for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
      let builder = builders.get(key);
      if (builder === undefined) {
        builder = new ColumnBuilder(key);
        builders.set(key, builder);
      }
      builder.padTo(rows);
      pushValue(builder, value);
    }
    rows++;
  };
  // A whole-file JSON array of objects (e.g. vega-datasets' cars.json) is accepted too.
  if (text.trimStart().startsWith('[')) {
    let records: unknown;
    try {
      records = JSON.parse(text);
    } catch (error) {
      throw new JsonlError(`not valid JSON (${(error as Error).message})`);
    }
    (records as unknown[]).forEach((record, i) => addRecord(record, `element ${i}`));
    return finish(builders, rows);
  }
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new JsonlError(`line ${lineNumber}: not valid JSON (${(error as Error).message})`);
    }
    addRecord(record, `line ${lineNumber}`);
  }
  return finish(builders, rows);
}

function finish(builders: Map<string, ColumnBuilder>, rows: number): Table {
  const columns = [...builders.values()].map((b) => {
    b.padTo(rows);
    return b.finish();
  });
  return { columns, rowCount: rows };
}

function pushValue(builder: ColumnBuilder, value: unknown): void {
  if (value === null || value === undefined) builder.pushMissing();
  else if (typeof value === 'number') {
    if (Number.isFinite(value)) builder.pushNumber(value);
    else builder.pushMissing();
  } else if (typeof value === 'string') {
    if (MISSING_TEXTS.has(value)) builder.pushMissing();
    else builder.pushText(value);
  } else if (typeof value === 'boolean') builder.pushText(String(value));
  else builder.pushText(JSON.stringify(value));
}
