/**
 * The label join's waiting predictions' values, copied for a snapshot as typed columns (kind and
 * number; text by reference, only for predictions logged as text) and written as the JSON array the
 * checkpoint has always held (`null` for a prediction logged as absent or null), a slice at a time.
 * The 100,000-element array of values is then never built (it outlived the young generation).
 */
import type { JsonChunkWriter, JsonStreamable } from '../core/json-chunk-writer.js';

export const ABSENT = 0;
export const NULL = 1;
export const NUMBER = 2;
export const TEXT = 3;

/** Values per JSON.stringify call (as JsonChunkWriter writes large arrays). */
const SLICE = 1024;

export class CapturedValues implements JsonStreamable {
  constructor(
    private readonly kind: Uint8Array,
    private readonly number: Float64Array,
    /** Text predictions by position. */
    private readonly text: ReadonlyMap<number, string>,
  ) {}

  get length(): number {
    return this.kind.length;
  }

  at(i: number): number | string | null {
    const kind = this.kind[i];
    return kind === NUMBER ? this.number[i] : kind === TEXT ? this.text.get(i)! : null;
  }

  /** The values from position `from` on (views of the same copies). */
  from(from: number): CapturedValues {
    const text = new Map<number, string>();
    for (const [i, t] of this.text) if (i >= from) text.set(i - from, t);
    return new CapturedValues(this.kind.subarray(from), this.number.subarray(from), text);
  }

  toJSON(): (number | string | null)[] {
    return this.slice(0, this.length);
  }

  async writeJson(out: JsonChunkWriter): Promise<void> {
    await out.raw('[');
    for (let i = 0; i < this.length; i += SLICE) {
      const text = JSON.stringify(this.slice(i, Math.min(this.length, i + SLICE)));
      await out.raw(i > 0 ? `,${text.slice(1, -1)}` : text.slice(1, -1));
      await out.breathe();
    }
    await out.raw(']');
  }

  private slice(from: number, to: number): (number | string | null)[] {
    const out: (number | string | null)[] = [];
    for (let i = from; i < to; i++) out.push(this.at(i));
    return out;
  }
}
