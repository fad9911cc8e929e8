/**
 * The SharedValueRings of a pipeline, one per (model, version, feature, window length): drift's
 * count window and data quality's value window of the same feature and length find each other
 * here, whichever is made first. Made by the AnalyzerSet only when asked to share them
 * (shareValueWindows, opt-in: each window's own ring is cheaper a push) and both analyzers run.
 */
import { SharedValueRing } from './shared-value-ring.js';

export class ValueRings {
  private readonly rings = new Map<string, SharedValueRing>();

  ring(model: string, version: string, feature: string, capacity: number): SharedValueRing {
    const key = `${model}\u0000${version}\u0000${feature}\u0000${capacity}`;
    let ring = this.rings.get(key);
    if (ring === undefined) this.rings.set(key, (ring = new SharedValueRing(capacity)));
    return ring;
  }

  /** Rings held. */
  get size(): number {
    return this.rings.size;
  }

  /** Over all rings: entries appended, pushes that took the other window's entry, bytes held. */
  totals(): { appended: number; taken: number; bytes: number } {
    let appended = 0;
    let taken = 0;
    let bytes = 0;
    for (const r of this.rings.values()) {
      appended += r.appended;
      taken += r.taken;
      bytes += r.bytes;
    }
    return { appended, taken, bytes };
  }
}
