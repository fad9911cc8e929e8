/**
 * Bounded label values. Values that come from logs (model names, versions, reasons) could be
 * anything; past a per-metric cap they fold into `__overflow__` and the fold is counted, so a
 * misbehaving log can never create unbounded series.
 */
export const OVERFLOW = '__overflow__';

export class BoundedValues {
  private readonly seen = new Set<string>();
  /** How many values were folded into `__overflow__`. */
  dropped = 0;

  constructor(private readonly max: number) {}

  admit(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size < this.max) {
      this.seen.add(value);
      return value;
    }
    this.dropped++;
    return OVERFLOW;
  }

  forget(value: string): void {
    this.seen.delete(value);
  }
}

/** Keeps label values short and printable: a label is for grouping, not for carrying payloads. */
export function labelValue(raw: string, maxLength = 64): string {
  let clean = '';
  for (const ch of raw) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) continue;
    clean += ch;
    // Stop at the cap: a 1 MB error message must not be copied character by character.
    if (clean.length >= maxLength) break;
  }
  return clean.length > maxLength ? clean.slice(0, maxLength) : clean;
}

/**
 * Where values were folded into `__overflow__`, per metric: exposed as
 * modelwatch_series_dropped_total{metric} so a cap being hit is visible, not silent.
 */
export class CardinalityLedger {
  private readonly bounds: { metric: string; bound: { readonly dropped: number } }[] = [];

  track(metric: string, bound: { readonly dropped: number }): void {
    this.bounds.push({ metric, bound });
  }

  totals(): Map<string, number> {
    const out = new Map<string, number>();
    for (const { metric, bound } of this.bounds) out.set(metric, (out.get(metric) ?? 0) + bound.dropped);
    return out;
  }
}
