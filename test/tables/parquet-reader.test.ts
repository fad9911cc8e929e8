import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ByteWriter, parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { describe, expect, it } from 'vitest';
import { MISSING_CODE, type Column, type Table } from '../../src/tables/column.js';
import { looksLikeParquet, parseParquet, ParquetError } from '../../src/tables/parquet-reader.js';

const FLIGHTS = join(process.cwd(), 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet');

/** Cell values of a column, missing as null, for readable assertions. */
function cells(column: Column): (number | string | null)[] {
  if (column.kind === 'numeric') return Array.from(column.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(column.codes, (c) => (c === MISSING_CODE ? null : column.dictionary[c]));
}

function byName(table: Table): Record<string, Column> {
  return Object.fromEntries(table.columns.map((c) => [c.name, c]));
}

const TYPED: ColumnSource[] = [
  { name: 'i32', data: Int32Array.from([1, 2, 3, 4]), type: 'INT32', nullable: false },
  { name: 'i64', data: [10n, null, -3n, 2n ** 40n], type: 'INT64' },
  { name: 'f64', data: [0.1, Number.NaN, null, 2.5], type: 'DOUBLE' },
  { name: 'f32', data: [1.5, -2, null, 0.25], type: 'FLOAT' },
  { name: 'text', data: ['a', 'NA', null, '7'], type: 'STRING' },
  { name: 'flag', data: [true, false, null, true], type: 'BOOLEAN' },
  { name: 'at', data: [new Date(Date.UTC(2024, 0, 1)), null, new Date(1000), new Date(0)], type: 'TIMESTAMP' },
  { name: 'tags', data: [['x', 'y'], [], null, ['z']] },
];

describe('parseParquet', () => {
  it('types columns as the JSONL reader does: numbers numeric, text/booleans/nested categorical, nulls missing', () => {
    const table = parseParquet(new Uint8Array(parquetWriteBuffer({ columnData: TYPED })));
    expect(table.rowCount).toBe(4);
    expect(table.columns.map((c) => c.name)).toEqual(TYPED.map((c) => c.name));
    const c = byName(table);
    expect(c.i32).toMatchObject({ kind: 'numeric', missing: 0 });
    expect(cells(c.i32)).toEqual([1, 2, 3, 4]);
    // INT64 arrives as BigInt and becomes a Number.
    expect(c.i64).toMatchObject({ kind: 'numeric', missing: 1 });
    expect(cells(c.i64)).toEqual([10, null, -3, 2 ** 40]);
    // NaN is missing, as the CSV text "NaN" is.
    expect(c.f64).toMatchObject({ kind: 'numeric', missing: 2 });
    expect(cells(c.f64)).toEqual([0.1, null, null, 2.5]);
    expect(cells(c.f32)).toEqual([1.5, -2, null, 0.25]);
    // A Parquet string is text even when it looks like a number; "NA" is missing.
    expect(c.text).toMatchObject({ kind: 'categorical', missing: 2 });
    expect(cells(c.text)).toEqual(['a', null, null, '7']);
    expect(cells(c.flag)).toEqual(['true', 'false', null, 'true']);
    expect(c.at.kind).toBe('numeric');
    expect(cells(c.at)).toEqual([Date.UTC(2024, 0, 1), null, 1000, 0]);
    expect(c.tags.kind).toBe('categorical');
    expect(cells(c.tags)).toEqual(['["x","y"]', '[]', null, '["z"]']);
  });

  it('reads every row group and page, and every codec it writes to the same table', () => {
    const n = 3000;
    const columnData: ColumnSource[] = [
      { name: 'x', data: Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 100), type: 'DOUBLE', nullable: false },
      { name: 'k', data: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `k${i % 13}`)), type: 'STRING' },
      { name: 'id', data: Array.from({ length: n }, (_, i) => BigInt(i)), type: 'INT64' },
    ];
    const write = (codec: 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP' | 'BROTLI') =>
      new Uint8Array(parquetWriteBuffer({
        columnData,
        codec,
        rowGroupSize: 700,
        pageSize: 4096,
        compressors: { GZIP: (b) => gzipSync(b), BROTLI: (b) => brotliCompressSync(b) },
      }));
    const plain = write('UNCOMPRESSED');
    expect(parquetMetadata(plain.slice().buffer).row_groups.length).toBe(5);
    const table = parseParquet(plain);
    expect(table.rowCount).toBe(n);
    const c = byName(table);
    expect(cells(c.id)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(c.k.missing).toBe(Math.ceil(n / 7));
    expect(cells(c.x)).toEqual(Array.from({ length: n }, (_, i) => Math.sin(i) * 100));
    for (const codec of ['SNAPPY', 'GZIP', 'BROTLI'] as const) {
      const bytes = write(codec);
      expect(parquetMetadata(bytes.slice().buffer).row_groups[0].columns[0].meta_data?.codec).toBe(codec);
      expect(parseParquet(bytes), codec).toEqual(table);
    }
  });

  it('reads a file from another writer (vega-datasets flights: zstd, dictionary-encoded) as hyparquet\'s public API does', async () => {
    if (!existsSync(FLIGHTS)) throw new Error(`missing ${FLIGHTS}: run npm install (vega-datasets is a dependency)`);
    const whole = new Uint8Array(readFileSync(FLIGHTS));
    // Keep the test small: the file's first row group (272,727 of 3M rows) under a rewritten footer.
    const bytes = firstRowGroup(whole);
    expect(parquetMetadata(bytes.slice().buffer).row_groups[0].columns[0].meta_data?.codec).toBe('ZSTD');
    const table = parseParquet(bytes);
    expect(table.rowCount).toBe(272_727);
    const c = byName(table);
    expect(table.columns.map((col) => [col.name, col.kind])).toEqual([
      ['date', 'numeric'], ['delay', 'numeric'], ['distance', 'numeric'], ['origin', 'categorical'], ['destination', 'categorical'],
    ]);
    const rows = await parquetReadObjects({ file: bytes.slice().buffer, compressors, rowStart: 0, rowEnd: table.rowCount });
    expect(rows.length).toBe(table.rowCount);
    const expected = (name: string, i: number) => {
      const v: unknown = rows[i][name];
      return v instanceof Date ? v.getTime() : typeof v === 'bigint' ? Number(v) : (v as string | null);
    };
    for (const name of ['date', 'delay', 'distance', 'origin', 'destination']) {
      const got = cells(c[name]);
      let mismatches = 0;
      for (let i = 0; i < rows.length; i++) if (got[i] !== expected(name, i)) mismatches++;
      expect(mismatches, name).toBe(0);
    }
    expect(cells(c.date)[0]).toBe(Date.parse('2001-01-01T00:01:00Z'));
  });

  it('rejects bytes that are not Parquet, and a damaged footer, with a ParquetError', () => {
    expect(looksLikeParquet(new TextEncoder().encode('a,b\n1,2\n'))).toBe(false);
    expect(() => parseParquet(new TextEncoder().encode('a,b\n1,2\n'))).toThrow(ParquetError);
    const good = new Uint8Array(parquetWriteBuffer({ columnData: TYPED }));
    const damaged = good.slice();
    // Footer length points before the start of the file.
    new DataView(damaged.buffer).setUint32(damaged.length - 8, damaged.length * 2, true);
    expect(() => parseParquet(damaged)).toThrow(/unreadable Parquet footer/);
  });
});

/** The file's bytes up to the end of its first row group, then a footer that lists only that group. */
function firstRowGroup(file: Uint8Array): Uint8Array {
  const metadata = parquetMetadata(file.slice().buffer);
  const group = metadata.row_groups[0];
  const end = Math.max(...group.columns.map((c) => Number((c.meta_data!.dictionary_page_offset || c.meta_data!.data_page_offset) + c.meta_data!.total_compressed_size)));
  const writer = new ByteWriter();
  writer.appendBytes(file.subarray(0, end));
  const footerStart = writer.offset;
  writeMetadata(writer, { ...metadata, num_rows: group.num_rows, row_groups: [group] });
  writer.appendUint32(writer.offset - footerStart);
  writer.appendBytes(new TextEncoder().encode('PAR1'));
  return new Uint8Array(writer.getBuffer());
}
