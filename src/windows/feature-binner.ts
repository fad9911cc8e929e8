/**
 * Maps a feature's raw values to reference bins. Numeric: the profile's quantile edges
 * (bin = number of edges < v). Categorical: the reference's categories first, then slots for new
 * categories as they appear (reference proportion 0), then `__other__` for everything past the cap,
 * so the number of bins, and of `bin` label values, is fixed when the binner is made.
 *
 * Rare categories are not folded here: which categories share a bin is decided per comparison by the
 * pooled counts of reference and window (../stats/category-fold.ts), since a choice made from the
 * reference's own counts over-represents the chosen categories in it and reads as drift.
 * When the profile folded categories past its cap, a category the binner does not list may be one
 * of them, so it counts in `__other__` (where the reference counted it) rather than in a slot of
 * its own: otherwise every capped reference category would read as new.
 */
import { BinLookup } from '../stats/bin-lookup.js';
import { OTHER_CATEGORY } from '../stats/binning.js';
import { categoryKey, isMissing, type FeatureProfile, type RawValue } from './reference-profile.js';
import { MISSING_BIN } from './window.js';

/** Categories a binner matches by a scan before its map (see recentKeys). */
const RECENT = 8;

export class FeatureBinner {
  readonly type: 'numeric' | 'categorical';
  /** type === 'numeric', read for every value staged: comparing the type's string costs a call there. */
  readonly numericType: boolean;
  readonly nBins: number;
  /** Bin label per index (`00`, `01`, … or the category); undefined for unassigned new-category slots. */
  readonly labels: (string | undefined)[];
  readonly refCounts: Float64Array;
  readonly refTotal: number;
  /** Numeric: the bin of a value by the profile's edges (binIndex, looked up). */
  private readonly lookup: BinLookup;
  private readonly categoryBins = new Map<string, number>();
  /**
   * The first RECENT categories looked up and their bins, scanned before the map: a line scanner
   * hands the same string object for each repeat of a category (records/scanner.ts interns them),
   * which `===` matches at once, where the map hashes it and compares it by content with the
   * profile's own copy of the key (a fifth of a drift record's staging with 5 categorical features).
   * A key's bin never changes once given, so an entry never goes stale.
   */
  private readonly recentKeys: string[] = [];
  private readonly recentBins: number[] = [];
  /** The recent keys' first character codes (0 for an empty key). */
  private readonly recentFirsts = new Int32Array(RECENT);
  private nextNew: number;
  /** The first slot for categories the reference did not have. */
  private readonly firstNewSlot: number;
  /** The `__other__` bin (categorical; −1 for numeric). */
  readonly otherBin: number;
  /** The profile folded categories into `__other__`: an unlisted category may be one of them. */
  private readonly folded: boolean;

  constructor(profile: FeatureProfile, maxNewCategories: number) {
    this.type = profile.type;
    this.numericType = profile.type === 'numeric';
    if (profile.type === 'numeric') {
      this.lookup = new BinLookup(Float64Array.from(profile.edges));
      this.nBins = profile.edges.length + 1;
      const width = String(this.nBins - 1).length;
      this.labels = Array.from({ length: this.nBins }, (_, i) => String(i).padStart(Math.max(2, width), '0'));
      this.refCounts = Float64Array.from(profile.counts);
      this.nextNew = this.otherBin = this.firstNewSlot = -1;
      this.folded = false;
    } else {
      this.lookup = new BinLookup(new Float64Array(0));
      const k = profile.categories.length;
      this.nBins = k + maxNewCategories + 1;
      this.otherBin = this.nBins - 1;
      this.labels = new Array<string | undefined>(this.nBins).fill(undefined);
      this.refCounts = new Float64Array(this.nBins);
      const other = profile.other;
      profile.categories.forEach((c, i) => {
        this.categoryBins.set(c, i);
        this.labels[i] = c;
        this.refCounts[i] = profile.counts[i];
      });
      this.labels[this.otherBin] = OTHER_CATEGORY;
      this.refCounts[this.otherBin] = other;
      this.nextNew = this.firstNewSlot = k;
      this.folded = other > 0;
    }
    let total = 0;
    for (let i = 0; i < this.nBins; i++) total += this.refCounts[i];
    this.refTotal = total;
  }

  /** The numeric value of v (NaN when missing or not a number). */
  numeric(v: RawValue): number {
    if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
    if (typeof v === 'string' && v.trim() !== '') {
      const n = Number(v);
      return Number.isFinite(n) ? n : NaN;
    }
    return NaN;
  }

  /** Numeric features: the bin of a value already converted by numeric() (NaN: missing). */
  binOfNumber(x: number): number {
    return x === x ? this.lookup.bin(x) : MISSING_BIN;
  }

  /**
   * The bins of n staged observations (FeatureDrift.stageColumn): values[k] is a numeric feature's
   * number (NaN: missing) or a categorical feature's bin. Writes bins[k], counts each bin in
   * `counts` (missing ones in none), and leaves values[k] as the windows take it: the number, 0 where missing and for a
   * categorical feature (as observe() writes its input register).
   */
  binStaged(values: Float64Array, n: number, bins: Int32Array, counts: Int32Array): void {
    if (this.numericType) {
      const lookup = this.lookup;
      for (let k = 0; k < n; k++) {
        const x = values[k];
        if (x === x) {
          const bin = lookup.bin(x);
          bins[k] = bin;
          counts[bin]++;
        } else {
          bins[k] = MISSING_BIN;
          values[k] = 0;
        }
      }
      return;
    }
    for (let k = 0; k < n; k++) {
      const bin = values[k];
      bins[k] = bin;
      if (bin !== MISSING_BIN) counts[bin]++;
      values[k] = 0;
    }
  }

  /** The bin of v, or MISSING_BIN for a missing value (or a non-number in a numeric feature). */
  bin(v: RawValue): number {
    if (this.numericType) return this.binOfNumber(this.numeric(v));
    if (typeof v === 'string') return this.binOfText(v);
    if (isMissing(v)) return MISSING_BIN;
    return this.binOfCategory(categoryKey(v));
  }

  /** bin() of a categorical feature's string value. */
  binOfText(s: string): number {
    // Every missing spelling ('', 'NA', 'NaN', 'null') is at most 4 characters long: a longer
    // category is compared with none of them (four string compares a value otherwise).
    if (s.length <= 4 && isMissing(s)) return MISSING_BIN;
    return this.binOfCategory(s);
  }

  /** A present category's bin: among the recent keys, else by the map. */
  private binOfCategory(key: string): number {
    const recent = this.recentKeys;
    // A key is compared as a string only with the recent ones that begin with its first character:
    // `===` of two distinct strings of one length compares their characters, in a call.
    const first = key.charCodeAt(0) | 0;
    const firsts = this.recentFirsts;
    for (let i = 0; i < recent.length; i++) if (firsts[i] === first && recent[i] === key) return this.recentBins[i];
    const bin = this.binOfKey(key);
    if (recent.length < RECENT) {
      firsts[recent.length] = first;
      recent.push(key);
      this.recentBins.push(bin);
    }
    return bin;
  }

  /** A category's bin by the map (a new category takes the next free slot). */
  private binOfKey(key: string): number {
    const known = this.categoryBins.get(key);
    if (known !== undefined) return known;
    if (!this.folded && this.nextNew < this.otherBin) {
      const slot = this.nextNew++;
      this.categoryBins.set(key, slot);
      this.labels[slot] = key;
      return slot;
    }
    return this.otherBin;
  }

  /** New categories met since start, in slot order: saved so bins keep their meaning after a restart. */
  snapshot(): string[] {
    return this.type === 'categorical' ? (this.labels.slice(this.firstNewSlot, this.nextNew) as string[]) : [];
  }

  restore(assigned: unknown): void {
    if (this.type !== 'categorical' || !Array.isArray(assigned)) return;
    for (const key of assigned) if (typeof key === 'string') this.bin(key);
  }
}
