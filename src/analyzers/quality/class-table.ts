/**
 * Class names ↔ small indices, so labels and predictions can be kept in typed arrays and handed
 * to the classification statistics. Configured classes are fixed (anything else is `__other__`);
 * otherwise classes are learned in order of appearance up to `maxClasses`, then `__other__`.
 * Keys are the logged value as text: the label 1 and the prediction "1" are the same class.
 */
export const OTHER_CLASS = '__other__';

export class ClassTable {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly fixed: boolean;

  constructor(
    configured: readonly string[] | undefined,
    private readonly maxClasses: number,
  ) {
    for (const c of configured ?? []) this.add(c);
    this.fixed = configured !== undefined;
  }

  get size(): number {
    return this.names.length;
  }

  static key(value: number | string | boolean): string {
    return typeof value === 'string' ? value : String(value);
  }

  /** The class index of a value, adding it (or `__other__`) when new. */
  indexOf(value: number | string | boolean): number {
    const key = ClassTable.key(value);
    const hit = this.index.get(key);
    if (hit !== undefined) return hit;
    if (this.fixed || this.names.length >= this.maxClasses - 1) return this.add(OTHER_CLASS);
    return this.add(key);
  }

  /** Index of a class name if present, without adding it. */
  find(name: string): number | undefined {
    return this.index.get(name);
  }

  /** The class names in index order, for the crash-safe state snapshot. */
  snapshot(): string[] {
    return [...this.names];
  }

  /**
   * Puts back a saved class order, so the class indices held in saved windows keep their meaning.
   * The classes held now (configured, or none yet) must be the start of the saved list; anything
   * else means the indices would change, and the saved state does not fit.
   */
  restore(saved: unknown): void {
    if (!Array.isArray(saved) || !saved.every((n) => typeof n === 'string')) throw new Error('saved classes are not a list of names');
    const names = saved as string[];
    if (new Set(names).size !== names.length) throw new Error('saved classes repeat a name');
    const prefix = this.names.every((n, i) => names[i] === n);
    const extra = names.slice(this.names.length);
    const fits = this.fixed ? extra.every((n) => n === OTHER_CLASS) : names.length <= this.maxClasses;
    if (!prefix || !fits) throw new Error(`saved classes [${names.join(', ')}] do not fit the classes now [${this.names.join(', ')}] (max ${this.maxClasses})`);
    for (const n of extra) this.add(n);
  }

  private add(name: string): number {
    const hit = this.index.get(name);
    if (hit !== undefined) return hit;
    this.names.push(name);
    this.index.set(name, this.names.length - 1);
    return this.names.length - 1;
  }
}
