/**
 * Parquet input, decoded with hyparquet (plain JS) into the same columnar Table the CSV and JSONL
 * parsers build. Typing follows the JSONL rules, since Parquet values are typed too: numbers (INT32,
 * INT64 as Number, FLOAT, DOUBLE, DECIMAL) are numbers, non-finite ones and nulls are missing; strings
 * are categories ("", "NA", "null", "NaN" missing, numeric-looking text stays text); booleans and
 * nested values (lists, structs, maps) are categories by their text / JSON text. Timestamps and dates
 * are numbers, milliseconds since the Unix epoch, as their INT64/INT32 storage suggests: a time column
 * then drifts as a distribution (KS, Wasserstein) rather than as one category per instant.
 *
 * Synchronous on purpose: the sidecar profiles its reference in analyzer constructors, which are
 * synchronous. hyparquet's public readers are promise-based only because they fetch byte ranges from
 * an AsyncBuffer; its decoding is synchronous, so with the whole file in memory this walks the row
 * groups itself and calls the decoder (`readColumn`, `assembleNested`, from hyparquet's exported
 * `./src/*.js` entry points, pinned to an exact version; test/batch/parquet-reader.test.ts checks
 * the result against the public `parquetReadObjects`). Codecs: hyparquet's own snappy plus
 * hyparquet-compressors' gzip, zstd, brotli, lz4 and lz4_raw.
 */
import { flatten, parquetMetadata, parquetSchema, type ColumnChunk, type FileMetaData, type ParquetParsers, type SchemaTree } from 'hyparquet';
import { assembleNested } from 'hyparquet/src/assemble.js';
import { readColumn } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { getTreePath } from 'hyparquet/src/schema.js';
import { compressors } from 'hyparquet-compressors';
import { ColumnBuilder, type Table } from './column.js';
import { MISSING_TEXTS } from './number-text.js';

export class ParquetError extends Error {}

const decoder = new TextDecoder('utf-8');

const MS_PER_DAY = 86_400_000;

/** hyparquet's parsers, but times as epoch milliseconds instead of Date objects (see the header). */
const PARSERS: ParquetParsers = {
  ...DEFAULT_PARSERS,
  timestampFromMilliseconds: (millis: bigint) => Number(millis),
  timestampFromMicroseconds: (micros: bigint) => Number(micros) / 1e3,
  timestampFromNanoseconds: (nanos: bigint) => Number(nanos) / 1e6,
  dateFromDays: (days: number) => days * MS_PER_DAY,
};

/** Parquet files start and end with the magic bytes PAR1. */
export function looksLikeParquet(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n >= 12 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31 &&
    bytes[n - 4] === 0x50 && bytes[n - 3] === 0x41 && bytes[n - 2] === 0x52 && bytes[n - 1] === 0x31;
}

export function parseParquet(bytes: Uint8Array): Table {
  if (!looksLikeParquet(bytes)) throw new ParquetError('not a Parquet file (no PAR1 magic bytes)');
  // hyparquet reads the footer from an ArrayBuffer of exactly the file (a small Buffer shares a pool).
  const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(exact);
  } catch (error) {
    throw new ParquetError(`unreadable Parquet footer (${(error as Error).message})`);
  }
  const schema = parquetSchema(metadata);
  const fields = schema.children;
  const builders = fields.map((field) => new ColumnBuilder(field.element.name));
  let rows = 0;
  for (const rowGroup of metadata.row_groups) {
    const groupRows = Number(rowGroup.num_rows);
    if (groupRows === 0) continue;
    const leaves = readLeaves(exact, schema, rowGroup.columns, rows, groupRows);
    fields.forEach((field, i) => {
      const values = field.children.length === 0 ? leaves.get(field.element.name) : assemble(leaves, field);
      if (values === undefined) throw new ParquetError(`row group at row ${rows}: no data for column ${field.element.name}`);
      if (values.length !== groupRows) {
        throw new ParquetError(`column ${field.element.name}: ${values.length} values in a row group of ${groupRows} rows`);
      }
      pushValues(builders[i], values);
    });
    rows += groupRows;
  }
  return { columns: builders.map((b) => b.finish()), rowCount: rows };
}

type Values = ArrayLike<unknown>;

/** Decodes every column chunk of one row group: dotted leaf path → values (one per row for flat columns). */
function readLeaves(file: ArrayBuffer, schema: SchemaTree, chunks: ColumnChunk[], groupStart: number, groupRows: number): Map<string, Values> {
  const leaves = new Map<string, Values>();
  for (const chunk of chunks) {
    const meta = chunk.meta_data;
    if (chunk.file_path) throw new ParquetError(`column data in another file (${chunk.file_path}) is not supported`);
    if (!meta) throw new ParquetError('a column chunk has no metadata');
    const schemaPath = getTreePath(schema, meta.path_in_schema);
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const end = start + Number(meta.total_compressed_size);
    if (end > file.byteLength) throw new ParquetError(`column ${meta.path_in_schema.join('.')}: data past the end of the file`);
    const decoded = readColumn(
      { view: new DataView(file, start, end - start), offset: 0 },
      { groupStart, selectStart: 0, selectEnd: groupRows, groupRows },
      {
        pathInSchema: meta.path_in_schema,
        type: meta.type,
        element: schemaPath[schemaPath.length - 1].element,
        schemaPath,
        codec: meta.codec,
        parsers: PARSERS,
        compressors,
      },
    );
    leaves.set(meta.path_in_schema.join('.'), decoded.data.length === 1 ? decoded.data[0] : flatten(decoded.data));
  }
  return leaves;
}

/** Builds the values of a nested top-level field (list, struct, map) from its leaves, as hyparquet does. */
function assemble(leaves: Map<string, Values>, field: SchemaTree): Values | undefined {
  const prefix = field.element.name + '.';
  const sub = new Map<string, unknown[]>();
  for (const [path, values] of leaves) if (path.startsWith(prefix)) sub.set(path, Array.from(values));
  if (sub.size === 0) return undefined;
  assembleNested(sub as Parameters<typeof assembleNested>[0], field, PARSERS);
  return sub.get(field.element.name);
}

function pushValues(builder: ColumnBuilder, values: Values): void {
  // Required numeric columns decode to typed arrays: no per-value type checks needed.
  if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v)) builder.pushNumber(v);
      else builder.pushMissing();
    }
    return;
  }
  for (let i = 0; i < values.length; i++) pushValue(builder, values[i]);
}

function pushValue(builder: ColumnBuilder, value: unknown): void {
  if (value === null || value === undefined) builder.pushMissing();
  else if (typeof value === 'number') {
    if (Number.isFinite(value)) builder.pushNumber(value);
    else builder.pushMissing();
  } else if (typeof value === 'bigint') builder.pushNumber(Number(value));
  else if (typeof value === 'string') {
    if (MISSING_TEXTS.has(value)) builder.pushMissing();
    else builder.pushText(value);
  } else if (typeof value === 'boolean') builder.pushText(String(value));
  else if (value instanceof Date) {
    // Only from a logical type PARSERS does not cover; kept numeric like the other times.
    const millis = value.getTime();
    if (Number.isFinite(millis)) builder.pushNumber(millis);
    else builder.pushMissing();
  }
  else if (value instanceof Uint8Array) builder.pushText(decoder.decode(value));
  else builder.pushText(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
}
