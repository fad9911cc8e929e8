/**
 * A CSV parser (RFC 4180: comma separated, fields optionally in double quotes with "" for a quote,
 * CRLF or LF line ends) that fills typed columns directly from the bytes. Unquoted numeric cells are
 * parsed without creating a string; only text cells are decoded. Blank lines are skipped. The first
 * record is the header. Pure: takes bytes, returns a Table (the file reading is in read-table.ts).
 */
import { ColumnBuilder, type Table } from './column.js';
import { MISSING_TEXTS, parseDecimal, parseDecimalText } from './number-text.js';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvError extends Error {}

const decoder = new TextDecoder('utf-8');

function isMissingBytes(b: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  if (n === 0) return true;
  if (n === 2) return b[s] === 78 && b[s + 1] === 65; // NA
  if (n === 3) return b[s] === 78 && b[s + 1] === 97 && b[s + 2] === 78; // NaN
  if (n === 4) return b[s] === 110 && b[s + 1] === 117 && b[s + 2] === 108 && b[s + 3] === 108; // null
  return false;
}

function pushBytes(builder: ColumnBuilder, b: Uint8Array, s: number, e: number): void {
  if (isMissingBytes(b, s, e)) return builder.pushMissing();
  // Numeric text is a number even in a text column, so "8.0" and "8" are one category wherever they sit.
  const value = parseDecimal(b, s, e);
  if (value !== undefined) return builder.pushNumber(value);
  builder.pushTextBytes(b, s, e);
}

function pushText(builder: ColumnBuilder, text: string): void {
  if (MISSING_TEXTS.has(text)) return builder.pushMissing();
  const value = parseDecimalText(text);
  if (value !== undefined) return builder.pushNumber(value);
  builder.pushText(text);
}

/** Cursor over the bytes: reads one field at a time and says what ended it. */
class FieldScanner {
  pos: number;
  line = 1;
  start = 0;
  end = 0;
  /** Set when the field was quoted: its unescaped text. */
  quotedText: string | undefined;

  constructor(private readonly b: Uint8Array) {
    // Skip a UTF-8 byte order mark.
    this.pos = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  }

  get done(): boolean {
    return this.pos >= this.b.length;
  }

  /** Reads a field; returns true when it ended its record (line end or end of input). */
  next(): boolean {
    const b = this.b;
    const n = b.length;
    this.quotedText = undefined;
    if (b[this.pos] === QUOTE) {
      const parts: string[] = [];
      const startLine = this.line;
      let s = this.pos + 1;
      let i = s;
      for (;;) {
        if (i >= n) throw new CsvError(`line ${startLine}: unterminated quoted field`);
        const c = b[i];
        if (c === QUOTE) {
          if (b[i + 1] === QUOTE) {
            parts.push(decoder.decode(b.subarray(s, i + 1)));
            i += 2;
            s = i;
            continue;
          }
          break;
        }
        if (c === LF) this.line++;
        i++;
      }
      parts.push(decoder.decode(b.subarray(s, i)));
      this.quotedText = parts.join('');
      this.pos = i + 1;
      if (this.pos < n && b[this.pos] !== COMMA && b[this.pos] !== LF && b[this.pos] !== CR) {
        throw new CsvError(`line ${this.line}: unexpected text after a closing quote`);
      }
    } else {
      let i = this.pos;
      while (i < n) {
        const c = b[i];
        if (c === COMMA || c === LF || c === CR) break;
        i++;
      }
      this.start = this.pos;
      this.end = i;
      this.pos = i;
    }
    return this.consumeDelimiter();
  }

  private consumeDelimiter(): boolean {
    const b = this.b;
    if (this.pos >= b.length) return true;
    const c = b[this.pos];
    if (c === COMMA) {
      this.pos++;
      return false;
    }
    if (c === CR) this.pos++;
    if (b[this.pos] === LF) this.pos++;
    this.line++;
    return true;
  }

  skipBlankLines(): void {
    const b = this.b;
    while (this.pos < b.length && (b[this.pos] === LF || b[this.pos] === CR)) {
      if (b[this.pos] === LF) this.line++;
      this.pos++;
    }
  }

  text(): string {
    return this.quotedText ?? decoder.decode(this.b.subarray(this.start, this.end));
  }
}

export function parseCsv(bytes: Uint8Array): Table {
  const scanner = new FieldScanner(bytes);
  const header: string[] = [];
  while (!scanner.done) {
    const ended = scanner.next();
    header.push(scanner.text());
    if (ended) break;
  }
  if (header.length === 0 || (header.length === 1 && header[0] === '')) throw new CsvError('no header row');
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new CsvError(`duplicate column name ${JSON.stringify(name)} in the header`);
    seen.add(name);
  }
  const builders = header.map((name) => new ColumnBuilder(name));
  const width = builders.length;
  let rows = 0;
  for (;;) {
    // Blank lines are skipped, not read as a row of missing values (as pandas does).
    scanner.skipBlankLines();
    if (scanner.done) break;
    const line = scanner.line;
    let column = 0;
    for (;;) {
      const ended = scanner.next();
      if (column >= width) throw new CsvError(`line ${line}: more than the header's ${width} fields`);
      const builder = builders[column];
      if (scanner.quotedText !== undefined) pushText(builder, scanner.quotedText);
      else pushBytes(builder, bytes, scanner.start, scanner.end);
      column++;
      if (ended) break;
    }
    rows++;
    for (let c = column; c < width; c++) builders[c].pushMissing();
  }
  return { columns: builders.map((b) => b.finish()), rowCount: rows };
}
