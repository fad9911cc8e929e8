/**
 * One family's sample lines, written as bytes, with what does not change between scrapes kept:
 * each series' `name{labels} ` prefix (label sets are bounded and stable: the same series come
 * back in the same order scrape after scrape) and the text of its last value. A scrape then writes
 * prefix + value per sample, and formats only the labels of a new series and the values that
 * moved; the shortest round-trip form of a double (String(v)) is the one costly step left, ~0.3 µs.
 *
 * A series is recognised by its position and checked by its name and label pairs (===): a series
 * set that changes (a new model version, a window that gets its first verdict) rewrites the
 * prefixes from there on. Prefixes are appended to one buffer per family; when what is no longer
 * used outweighs what is, the family starts over.
 */
import type { Sample } from '../metrics/sample.js';
import { ByteWriter, formatValue } from './byte-writer.js';

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabel(s: string): string {
  // Nearly no label value holds a backslash, newline or quote: test once, replace only then.
  return NEEDS_ESCAPE.test(s) ? s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : s;
}

export function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** `name{a="x",b="y"} ` as the text format writes it (label order as given), with the space before the value. */
export function seriesPrefix(name: string, labels: Sample['labels']): string {
  let line = name;
  let open = false;
  // Label objects are plain literals (no inherited enumerable keys): for-in gives Object.entries' order.
  for (const k in labels) {
    const v = labels[k];
    line += (open ? ',' : '{') + k + '="' + (typeof v === 'string' ? escapeLabel(v) : String(v)) + '"';
    open = true;
  }
  return line + (open ? '} ' : ' ');
}

export class FamilyLines {
  /** Per series: [name, label name, value, label name, value, …] as last written. */
  private ids: (string | number)[][] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private readonly prefixes = new ByteWriter(Buffer.allocUnsafe(4096));
  /** Bytes of prefixes no series uses any more. */
  private stale = 0;
  private values: number[] = [];
  private valueText: string[] = [];
  /** Samples added since begin(). */
  private count = 0;

  /** Writes one line per sample (each ending with a newline); `name` for samples without metricName. */
  write(w: ByteWriter, name: string, samples: readonly Sample[]): void {
    this.begin();
    for (const s of samples) this.add(w, s.metricName ?? name, s.labels, s.value);
    this.end();
  }

  /** Starts a family's samples, each then written by add(); end() after the last. */
  begin(): void {
    if (this.stale > 1 << 16 && 2 * this.stale > this.prefixes.len) this.clear();
    this.count = 0;
  }

  /**
   * One sample line. `check` sees the labels of a series not written before (the label sets of
   * the others are as they were last time) and may throw to abandon the family.
   */
  add(w: ByteWriter, name: string, labels: Sample['labels'], value: number, check?: (labels: Sample['labels']) => void): void {
    const i = this.count++;
    if (!this.same(i, name, labels)) {
      check?.(labels);
      this.remember(i, name, labels);
    }
    w.bytes(this.prefixes.buf, this.starts[i], this.ends[i]);
    this.writeValue(w, i, value);
    w.newline();
  }

  end(): void {
    const n = this.count;
    if (this.ids.length > n) {
      for (let i = n; i < this.ids.length; i++) this.stale += this.ends[i] - this.starts[i];
      this.ids.length = n;
      this.starts.length = n;
      this.ends.length = n;
      this.values.length = n;
      this.valueText.length = n;
    }
  }

  get added(): number {
    return this.count;
  }

  private writeValue(w: ByteWriter, i: number, v: number): void {
    if ((v | 0) === v) return w.number(v);
    // Object.is: NaN is NaN, and -0 (written "0") never stands for 0's text or the reverse.
    if (!Object.is(this.values[i], v)) {
      this.values[i] = v;
      this.valueText[i] = formatValue(v);
    }
    w.text(this.valueText[i]);
  }

  private same(i: number, name: string, labels: Sample['labels']): boolean {
    const id = this.ids[i];
    if (id === undefined || id[0] !== name) return false;
    let j = 1;
    for (const k in labels) {
      if (id[j] !== k || id[j + 1] !== labels[k]) return false;
      j += 2;
    }
    return j === id.length;
  }

  private remember(i: number, name: string, labels: Sample['labels']): void {
    if (this.ids[i] !== undefined) this.stale += this.ends[i] - this.starts[i];
    const id: (string | number)[] = [name];
    for (const k in labels) id.push(k, labels[k]);
    this.ids[i] = id;
    this.starts[i] = this.prefixes.len;
    this.prefixes.text(seriesPrefix(name, labels));
    this.ends[i] = this.prefixes.len;
    this.values[i] = Number.NaN;
    this.valueText[i] = 'NaN';
  }

  private clear(): void {
    this.ids = [];
    this.starts = [];
    this.ends = [];
    this.values = [];
    this.valueText = [];
    this.prefixes.len = 0;
    this.stale = 0;
  }
}
