/**
 * A fresh capture of the pipeline's families with each family that did not change since the
 * previous capture replaced by the previous one's object. An idle tick recomputes every gauge and
 * moves few or none, yet publishing its capture made every family new: the old objects, promoted
 * while published, became old-generation garbage (a major collection every few idle ticks), and
 * the exposition's formatted lines, kept per family object, were formatted again at the next
 * scrape. Kept, the unchanged families' fresh copies die young and their lines stay formatted.
 */
import type { Sample } from '../metrics/sample.js';
import type { CapturedFamily } from './exposition.js';

export function keepUnchanged(fresh: CapturedFamily[], previous: readonly CapturedFamily[] | undefined): CapturedFamily[] {
  if (previous === undefined || previous === fresh) return fresh;
  const byName = new Map<string, CapturedFamily>();
  for (const f of previous) byName.set(f.name, f);
  return fresh.map((f) => {
    const g = byName.get(f.name);
    return g !== undefined && sameFamily(f, g) ? g : f;
  });
}

export function sameFamily(a: CapturedFamily, b: CapturedFamily): boolean {
  if (a.help !== b.help || a.type !== b.type || a.live !== b.live || a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.values.length; i++) if (!sameSample(a.values[i], b.values[i])) return false;
  return true;
}

function sameSample(x: Sample, y: Sample): boolean {
  // Object.is: NaN equals NaN, and -0 (written "0") is not 0.
  return Object.is(x.value, y.value) && x.metricName === y.metricName && sameLabels(x.labels, y.labels);
}

export function sameLabels(x: Sample['labels'], y: Sample['labels']): boolean {
  let n = 0;
  for (const k in x) {
    if (x[k] !== y[k]) return false;
    n++;
  }
  for (const _ in y) n--;
  return n === 0;
}
