/**
 * JSON Lines input (or one JSON array of objects): one JSON object per line, keys are columns (the union over all lines; a key a
 * line lacks is missing there). JSON numbers are numbers; null and the strings "", "NA", "null",
 * "NaN" are missing; other strings, booleans and nested values are categories (nested ones by their
 * JSON text), except a `features` object, whose keys are columns (ObjectRows). A JSON string is text
 * even when it looks like a number. Pure: text in, Table out.
 */
import { ColumnBuilder, type Table } from './column.js';
import { MISSING_TEXTS } from './number-text.js';

export class JsonlError extends Error {}

/**
 * Rows of JSON objects into columns. A `features` key holding an object is flattened: its keys
 * become columns of their own (a model server's log nests its inputs so), and win over a top-level
 * key of the same name.
 */
export class ObjectRows {
  private readonly builders = new Map<string, ColumnBuilder>();
  private rows = 0;
  private readonly row = new Map<string, unknown>();

  add(record: unknown, where: string): void {
    if (!isObject(record)) throw new JsonlError(`${where}: expected a JSON object`);
    const row = this.row;
    row.clear();
    for (const [key, value] of Object.entries(record)) {
      if (key === 'features' && isObject(value)) continue;
      row.set(key, value);
    }
    if (isObject(record.features)) for (const [key, value] of Object.entries(record.features)) row.set(key, value);
    for (const [key, value] of row) {
      let builder = this.builders.get(key);
      if (builder === undefined) {
        builder = new ColumnBuilder(key);
        this.builders.set(key, builder);
      }
      builder.padTo(this.rows);
      pushValue(builder, value);
    }
    this.rows++;
  }

  finish(): Table {
    return finish(this.builders, this.rows);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function parseJsonl(text: string): Table {
  const table = new ObjectRows();
  const addRecord = (record: unknown, where: string): void => table.add(record, where);
  // A whole-file JSON array of objects (e.g. vega-datasets' cars.json) is accepted too.
  if (text.trimStart().startsWith('[')) {
    let records: unknown;
    try {
      records = JSON.parse(text);
    } catch (error) {
      throw new JsonlError(`not valid JSON (${(error as Error).message})`);
    }
    (records as unknown[]).forEach((record, i) => addRecord(record, `element ${i}`));
    return table.finish();
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
  return table.finish();
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
