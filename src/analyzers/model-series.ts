/**
 * Per (model, version) state, with the number of distinct pairs bounded: past the cap, records
 * fold into model="__overflow__" so a log full of random model names cannot blow up cardinality.
 */
import { BoundedValues, OVERFLOW } from '../metrics/cardinality.js';

export interface ModelKey {
  model: string;
  version: string;
}

interface Entry<S> {
  key: ModelKey;
  state: S;
  /** Clock time of the last record, for evictIdle. */
  seen: number;
}

export class ModelSeries<S> {
  private readonly byKey = new Map<string, Entry<S>>();
  private readonly bound: BoundedValues;
  private lastModel: string | undefined;
  private lastVersion: string | undefined;
  private last: Entry<S> | undefined;

  constructor(
    private readonly create: (key: ModelKey) => S,
    maxModels = 100,
    private readonly now: () => number = Date.now,
  ) {
    this.bound = new BoundedValues(maxModels);
  }

  get(model: string, version: string): S {
    // Consecutive records nearly always come from the same model version: skip the key and the lookup.
    const last = this.last;
    if (last !== undefined && model === this.lastModel && version === this.lastVersion) {
      last.seen = this.now();
      return last.state;
    }
    const entry = this.lookup(model, version);
    // Not an overflow fold: each of those must go through admit(), which counts them.
    if (entry.key.model === model && entry.key.version === version) {
      this.lastModel = model;
      this.lastVersion = version;
      this.last = entry;
    }
    return entry.state;
  }

  /** The state of a model version held, none made (nor its idle time reset). */
  find(model: string, version: string): S | undefined {
    return this.byKey.get(`${model}\u0000${version}`)?.state;
  }

  private lookup(model: string, version: string): Entry<S> {
    const k = `${model}\u0000${version}`;
    const hit = this.byKey.get(k);
    if (hit) {
      hit.seen = this.now();
      return hit;
    }
    const slot = this.bound.admit(k) === k ? k : OVERFLOW;
    let entry = this.byKey.get(slot);
    if (!entry) {
      const key = slot === k ? { model, version } : { model: OVERFLOW, version: OVERFLOW };
      entry = { key, state: this.create(key), seen: 0 };
      this.byKey.set(slot, entry);
    }
    entry.seen = this.now();
    return entry;
  }

  /**
   * Forgets model versions not seen for `idleMs`, so a retired version disappears from /metrics
   * instead of being exposed frozen forever. Returns how many were removed.
   */
  evictIdle(nowMs: number, idleMs: number): number {
    let removed = 0;
    for (const [k, entry] of this.byKey) {
      if (nowMs - entry.seen <= idleMs) continue;
      this.byKey.delete(k);
      this.bound.forget(k);
      if (entry === this.last) this.last = undefined;
      removed++;
    }
    return removed;
  }

  /** Model versions held (the overflow series counts as one). */
  get size(): number {
    return this.byKey.size;
  }

  /** Records folded into `__overflow__` because the model/version cap was reached. */
  get dropped(): number {
    return this.bound.dropped;
  }

  *entries(): Iterable<[ModelKey, S]> {
    for (const { key, state } of this.byKey.values()) yield [key, state];
  }
}
