/**
 * Per (model, version) state, with the number of distinct pairs bounded: past the cap, records
 * fold into model="__overflow__" so a log full of random model names cannot blow up cardinality.
 */
import { BoundedValues, OVERFLOW } from '../exposition/cardinality.js';

export interface ModelKey {
  model: string;
  version: string;
}

export class ModelSeries<S> {
  private readonly byKey = new Map<string, { key: ModelKey; state: S }>();
  private readonly bound: BoundedValues;

  constructor(
    private readonly create: (key: ModelKey) => S,
    maxModels = 100,
  ) {
    this.bound = new BoundedValues(maxModels);
  }

  get(model: string, version: string): S {
    const k = `${model}\u0000${version}`;
    const hit = this.byKey.get(k);
    if (hit) return hit.state;
    const slot = this.bound.admit(k) === k ? k : OVERFLOW;
    let entry = this.byKey.get(slot);
    if (!entry) {
      const key = slot === k ? { model, version } : { model: OVERFLOW, version: OVERFLOW };
      entry = { key, state: this.create(key) };
      this.byKey.set(slot, entry);
    }
    return entry.state;
  }

  /** Records folded into `__overflow__` because the model/version cap was reached. */
  get dropped(): number {
    return this.bound.dropped;
  }

  *entries(): Iterable<[ModelKey, S]> {
    for (const { key, state } of this.byKey.values()) yield [key, state];
  }
}
