/**
 * Segments: configured feature fields whose values slice quality metrics (a `segment` label of
 * the form `<field>=<value>`). Cardinality is bounded per field: the reference's most frequent
 * categories (when the field is a categorical feature of the reference) take the first places,
 * then values in order of first appearance, up to `max_values`; the rest share `__other__`, and a
 * missing value is `__missing__`.
 */
import { labelValue } from '../../metrics/cardinality.js';
import type { FeatureValue } from '../../records/model-record.js';
import type { ReferenceProfile } from '../../windows/reference-profile.js';

export const OTHER = '__other__';
export const MISSING_SEGMENT = '__missing__';

class FieldCodes {
  readonly names: string[] = [];
  private readonly codes = new Map<string, number>();

  constructor(
    readonly field: string,
    private readonly maxValues: number,
    seed: readonly string[],
  ) {
    for (const v of seed.slice(0, maxValues)) this.code(v);
  }

  code(value: string): number {
    const hit = this.codes.get(value);
    if (hit !== undefined) return hit;
    const admitted = this.names.length < this.maxValues || value === MISSING_SEGMENT ? value : OTHER;
    let code = this.codes.get(admitted);
    if (code === undefined) {
      code = this.names.length;
      this.names.push(admitted);
      this.codes.set(admitted, code);
    }
    return code;
  }

  /** Saved codes, in code order: the current ones (the reference's seed) must be their start. */
  restore(saved: readonly string[]): void {
    if (!this.names.every((n, i) => saved[i] === n)) throw new Error(`saved values of segment field ${this.field} do not start with its reference categories`);
    if (new Set(saved).size !== saved.length) throw new Error(`saved values of segment field ${this.field} repeat a value`);
    for (const v of saved.slice(this.names.length)) {
      this.codes.set(v, this.names.length);
      this.names.push(v);
    }
  }
}

export class SegmentCoder {
  private readonly fields: FieldCodes[];

  constructor(fields: readonly string[], maxValues: number, reference?: ReferenceProfile) {
    this.fields = fields.map((f) => {
      const p = reference?.features[f];
      return new FieldCodes(f, maxValues, p?.type === 'categorical' ? p.categories : []);
    });
  }

  get size(): number {
    return this.fields.length;
  }

  /** The raw segment value of field i as the join store keeps it (a short string). */
  static text(v: FeatureValue): string {
    if (v === undefined || v === null || v === '') return MISSING_SEGMENT;
    return labelValue(typeof v === 'string' ? v : String(v));
  }

  rawValues(features: Record<string, FeatureValue>): string[] {
    return this.fields.map((f) => SegmentCoder.text(features[f.field]));
  }

  codes(values: readonly string[] | undefined): Int32Array {
    const out = new Int32Array(this.fields.length).fill(-1);
    if (values) for (let i = 0; i < this.fields.length; i++) out[i] = this.fields[i].code(values[i]);
    return out;
  }

  /** `field=value` for a code of field i. */
  label(i: number, code: number): string {
    const f = this.fields[i];
    return `${f.field}=${f.names[code]}`;
  }

  /** Each field's values in code order, so codes saved in windows keep their meaning after a restart. */
  snapshot(): Record<string, string[]> {
    return Object.fromEntries(this.fields.map((f) => [f.field, [...f.names]]));
  }

  /** Restores the saved fields that exist now; returns the fields whose codes now mean what they meant. */
  restore(saved: unknown): string[] {
    const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Record<string, unknown>;
    const restored: string[] = [];
    for (const f of this.fields) {
      const values = s[f.field];
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) continue;
      try {
        f.restore(values as string[]);
        restored.push(f.field);
      } catch {
        // Left as it is: the caller drops the saved codes of fields not restored.
      }
    }
    return restored;
  }

  /** Codes in use for field i. */
  codeCount(i: number): number {
    return this.fields[i].names.length;
  }
}
