/**
 * Counter continuity across restarts. The values exposed at the last durable snapshot are loaded as
 * a base and added to every counter and histogram sample of the new process, so Prometheus sees each
 * series continue from where it was last scraped, never a drop it would read as a reset.
 */
import { boundLabelValue } from '../core/label-value.js';
import type { Sample } from './sample.js';

export interface SavedSample {
  /** Sample name (`x_total`, `x_bucket`, …). */
  n: string;
  /** Label pairs, in exposition order. */
  l: [string, string][];
  v: number;
}

function keyOf(name: string, labels: Record<string, string | number>): string {
  let k = name;
  for (const [ln, lv] of Object.entries(labels)) k += `\u0001${ln}\u0002${lv}`;
  return k;
}

export class CounterBase {
  /** family → sample key → saved sample */
  private readonly byFamily = new Map<string, Map<string, SavedSample>>();

  /**
   * Label values are cut to `maxLabelLength` as the exposition cuts them (a checkpoint written
   * before that bound existed may hold longer ones), so saved and live series meet under one key.
   */
  load(saved: Record<string, SavedSample[]> | undefined, maxLabelLength = Infinity): void {
    this.byFamily.clear();
    for (const [family, samples] of Object.entries(saved ?? {})) {
      const m = new Map<string, SavedSample>();
      for (const raw of samples) {
        const s = raw.l.some(([, v]) => v.length > maxLabelLength) ? { ...raw, l: raw.l.map(([k, v]): [string, string] => [k, boundLabelValue(v, maxLabelLength)]) } : raw;
        m.set(keyOf(s.n, Object.fromEntries(s.l)), s);
      }
      this.byFamily.set(family, m);
    }
  }

  get size(): number {
    return this.byFamily.size;
  }

  /** Adds the base to live samples and brings back series the new process has not seen yet. */
  apply(family: string, samples: Sample[]): Sample[] {
    const base = this.byFamily.get(family);
    if (!base || base.size === 0) return samples;
    const seen = new Set<string>();
    const out = samples.map((s) => {
      const k = keyOf(s.metricName ?? family, s.labels);
      seen.add(k);
      const b = base.get(k);
      return b ? { ...s, value: s.value + b.v } : s;
    });
    for (const [k, b] of base) if (!seen.has(k)) out.push({ metricName: b.n, labels: Object.fromEntries(b.l), value: b.v });
    return out;
  }
}

/** A family as captured: what saving reads of it. */
export interface SavedFamily {
  name: string;
  type: string;
  values: readonly Sample[];
}

/**
 * The families whose values a restart carries over (counters and histograms), by name: a name seen
 * twice keeps its first place and its last values, as an object's key does.
 */
export function carriedFamilies(families: readonly SavedFamily[]): Map<string, SavedFamily> {
  const out = new Map<string, SavedFamily>();
  for (const f of families) if (f.type === 'counter' || f.type === 'histogram') out.set(f.name, f);
  return out;
}

/** The exposed values of counter and histogram families, in the saved form. */
export function saveSamples(families: readonly SavedFamily[]): Record<string, SavedSample[]> {
  const out: Record<string, SavedSample[]> = {};
  for (const [name, f] of carriedFamilies(families)) out[name] = f.values.map((s) => savedSample(name, s));
  return out;
}

/** One sample in the saved form. */
export function savedSample(family: string, s: Sample): SavedSample {
  return { n: s.metricName ?? family, l: Object.entries(s.labels).map(([k, v]) => [k, String(v)]), v: s.value };
}
