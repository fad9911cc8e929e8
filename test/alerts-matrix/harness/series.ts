/**
 * Scraped series of one scenario on its step grid: every sample of every exposition a replay (or a
 * collector run) produced, keyed by metric name and labels, by step index from the scenario's
 * origin. Several targets (replicas, namespaces) merge into one set, as one Prometheus holds them;
 * each target's `up` series covers the steps it was scraped.
 */

/** Which scraped series to store: the ones some rule (or check) reads. */
export type Keep = (name: string, labels: Record<string, string>) => boolean;

export interface Series {
  name: string;
  labels: Record<string, string>;
  /** Step index → value. */
  values: Map<number, number>;
  /** Key of the target that exposed it: where its scrapes start and end. */
  target: string;
}

/** A scraped target: its labels (job, instance, namespace, …) and the steps it was scraped. */
export interface Target {
  labels: Record<string, string>;
  first: number;
  last: number;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Seconds since the epoch, when the line carries one. */
  timestamp?: number;
}

function unescapeLabel(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** One sample line of the Prometheus text or OpenMetrics format; undefined for comments and blanks. */
export function parseSampleLine(line: string): Sample | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  const labels: Record<string, string> = {};
  let i = line.search(/[{ ]/);
  const name = line.slice(0, i);
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const eq = line.indexOf('=', i);
      const key = line.slice(i, eq).trim();
      let j = eq + 2;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      labels[key] = unescapeLabel(line.slice(eq + 2, j));
      i = j + 1;
      if (line[i] === ',') i++;
    }
    i++;
  }
  const [value, timestamp] = line.slice(i).trim().split(/\s+/);
  return { name, labels, value: parseValue(value), timestamp: timestamp === undefined ? undefined : Number(timestamp) };
}

export function seriesKey(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

export class SeriesSet {
  private readonly byKey = new Map<string, Series>();
  readonly targets = new Map<string, Target>();

  /** `origin`: seconds since the epoch of step 0; `stepSeconds`: the grid (the scrape interval). */
  constructor(
    readonly origin: number,
    readonly stepSeconds: number,
  ) {}

  /** Steps from 0 to the last step any target was scraped. */
  get steps(): number {
    let last = -1;
    for (const t of this.targets.values()) last = Math.max(last, t.last);
    return last + 1;
  }

  /** Every series, and each target's `up` (1 on every step it was scraped). */
  *all(): Generator<Series> {
    yield* this.byKey.values();
    for (const [key, t] of this.targets) {
      const values = new Map<number, number>();
      for (let s = t.first; s <= t.last; s++) values.set(s, 1);
      yield { name: 'up', labels: t.labels, values, target: key };
    }
  }

  /** The step index of a time; an error off the grid (a replay must use the scenario's step). */
  stepOf(timeSeconds: number): number {
    const step = (timeSeconds - this.origin) / this.stepSeconds;
    if (!Number.isInteger(step) || step < 0) throw new Error(`time ${timeSeconds} is not on the grid (origin ${this.origin}, step ${this.stepSeconds} s)`);
    return step;
  }

  /**
   * Every sample line of `text`, scraped from the target with labels `target` (added to every
   * sample, as a scrape adds them), at the line's own timestamp or else at `timeSeconds`. Only metrics
   * `keep` accepts are stored; every line marks its step as scraped.
   */
  addText(text: string, target: Record<string, string>, keep: Keep, timeSeconds?: number): void {
    const targetKey = seriesKey('', target);
    let t = this.targets.get(targetKey);
    // The text before the value names the series: parsed once per series, not once per sample.
    const known = new Map<string, Series | null>();
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
      const close = line.lastIndexOf('}');
      const headEnd = close >= 0 ? close + 1 : line.indexOf(' ');
      const head = line.slice(0, headEnd);
      let series = known.get(head);
      if (series === undefined) {
        const s = parseSampleLine(line)!;
        series = keep(s.name, s.labels) ? this.series(s.name, { ...s.labels, ...target }, targetKey) : null;
        known.set(head, series);
      }
      const [value, timestamp] = line.slice(headEnd + 1).trim().split(' ');
      const time = timestamp === undefined ? timeSeconds : Number(timestamp);
      if (time === undefined) throw new Error(`sample without a timestamp: ${line}`);
      const step = this.stepOf(time);
      if (!t) this.targets.set(targetKey, (t = { labels: target, first: step, last: step }));
      else if (step < t.first) t.first = step;
      else if (step > t.last) t.last = step;
      series?.values.set(step, parseValue(value));
    }
  }

  private series(name: string, labels: Record<string, string>, target: string): Series {
    const key = seriesKey(name, labels);
    let series = this.byKey.get(key);
    if (!series) this.byKey.set(key, (series = { name, labels, values: new Map(), target }));
    return series;
  }
}
