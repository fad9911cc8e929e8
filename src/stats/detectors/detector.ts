/**
 * Concept-drift detectors watch a stream of per-record errors (0/1 misclassifications, or any real
 * value such as an absolute regression error) and flag when its level rises. They see one value
 * at a time and keep bounded state, so they run on the label-join hot path.
 */

/** 0 stable, 1 warning (a drift may be coming; DDM only), 2 drift detected on the last update. */
export type DetectorState = 0 | 1 | 2;

export const STABLE = 0;
export const WARNING = 1;
export const DRIFT = 2;

export interface DriftDetector {
  readonly name: string;
  /** Feeds one value; `state` then describes this update. */
  update(x: number): void;
  readonly state: DetectorState;
  /** Drifts detected since construction or the last reset(). */
  readonly detections: number;
  /** Forgets everything, detections included: as freshly constructed. */
  reset(): void;
  /**
   * The running statistics and `state` as JSON-safe data, so a restarted process resumes where
   * this one stood instead of warming up again. `detections` is left out on purpose: it is exposed
   * as a counter, and counters are carried over across restarts by the exposition.
   */
  snapshot(): DetectorSnapshot;
  /** Puts back what snapshot() saved (of a detector of the same name); throws when it does not fit. */
  restore(saved: unknown): void;
}

export interface DetectorSnapshot {
  name: string;
  state: DetectorState;
}

/** One entry of the explicit detector list (index.ts): name, defaults, factory. */
export interface DetectorDescriptor<Options extends object> {
  name: string;
  /** 'binary': the input must be 0/1 errors; 'real': any finite value. */
  input: 'binary' | 'real';
  defaults: Readonly<Options>;
  create(options?: Partial<Options>): DriftDetector;
}

/** The saved object of a detector called `name`, with its state checked; throws otherwise. */
export function savedDetector(saved: unknown, name: string): Record<string, unknown> & { state: DetectorState } {
  if (typeof saved !== 'object' || saved === null) throw new Error(`saved ${name} state is not an object`);
  const s = saved as Record<string, unknown>;
  if (s.name !== name) throw new Error(`saved detector is ${String(s.name)}, not ${name}`);
  if (s.state !== STABLE && s.state !== WARNING && s.state !== DRIFT) throw new Error(`saved ${name} state ${String(s.state)} is not 0, 1 or 2`);
  return s as Record<string, unknown> & { state: DetectorState };
}

/** A finite number field of a saved detector (JSON has no Infinity: null stands for it where allowed). */
export function savedNumber(s: Record<string, unknown>, key: string, nullIs?: number): number {
  const v = s[key];
  if (v === null && nullIs !== undefined) return nullIs;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`saved detector field ${key} is not a finite number: ${String(v)}`);
  return v;
}

/** Bad configuration throws at construction, never later on the stream. */
export function requireInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be in [${min}, ${max}], got ${value}`);
  }
}
