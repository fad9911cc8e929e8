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
}

/** One entry of the explicit detector list (index.ts): name, defaults, factory. */
export interface DetectorDescriptor<Options extends object> {
  name: string;
  /** 'binary': the input must be 0/1 errors; 'real': any finite value. */
  input: 'binary' | 'real';
  defaults: Readonly<Options>;
  create(options?: Partial<Options>): DriftDetector;
}

/** Bad configuration throws at construction, never later on the stream. */
export function requireInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be in [${min}, ${max}], got ${value}`);
  }
}
