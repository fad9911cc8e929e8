/**
 * DDM, the Drift Detection Method (Gama, Medas, Castillo, Rodrigues, "Learning with drift
 * detection", SBIA 2004), as river's drift.binary.DDM.
 * Input: 1 = the model erred, 0 = it was right. With p_i the running error rate and
 * s_i = √(p_i(1 − p_i)/i), once more than minInstances values are seen the minimum of p_i + s_i is
 * remembered as (p_min, s_min); then
 *   p_i + s_i > p_min + 2·s_min → warning,   p_i + s_i > p_min + 3·s_min → drift.
 * DDM assumes the error rate only falls while the concept holds, so it watches for rises. After a
 * drift the statistics restart on the next value.
 */
import {
  DRIFT,
  STABLE,
  WARNING,
  requireInRange,
  savedDetector,
  savedNumber,
  type DetectorDescriptor,
  type DetectorSnapshot,
  type DetectorState,
  type DriftDetector,
} from './detector.js';

interface DdmSnapshot extends DetectorSnapshot {
  count: number;
  errors: number;
  /** null: no minimum yet (Infinity, which JSON cannot hold). */
  pMin: number | null;
  sMin: number | null;
}

export interface DdmOptions {
  /** Values to see before warnings or drifts can fire. */
  minInstances: number;
  /** In standard deviations above the minimum. */
  warningLevel: number;
  driftLevel: number;
}

export class Ddm implements DriftDetector {
  readonly name = 'ddm';
  state: DetectorState = STABLE;
  detections = 0;
  private readonly options: DdmOptions;
  private count = 0;
  private errors = 0;
  private pMin = Infinity;
  private sMin = Infinity;

  constructor(options: Partial<DdmOptions> = {}) {
    this.options = { ...ddm.defaults, ...options };
    requireInRange('ddm minInstances', this.options.minInstances, 0, Number.MAX_SAFE_INTEGER);
    requireInRange('ddm warningLevel', this.options.warningLevel, 0, Number.MAX_VALUE);
    requireInRange('ddm driftLevel', this.options.driftLevel, this.options.warningLevel, Number.MAX_VALUE);
  }

  update(x: number): void {
    if (this.state === DRIFT) this.restart();
    this.count++;
    if (x !== 0) this.errors++;
    const p = this.errors / this.count;
    const s = Math.sqrt((p * (1 - p)) / this.count);
    if (this.count <= this.options.minInstances) {
      this.state = STABLE;
      return;
    }
    if (p + s <= this.pMin + this.sMin) {
      this.pMin = p;
      this.sMin = s;
    }
    if (p + s > this.pMin + this.options.driftLevel * this.sMin) {
      this.state = DRIFT;
      this.detections++;
    } else if (p + s > this.pMin + this.options.warningLevel * this.sMin) {
      this.state = WARNING;
    } else {
      this.state = STABLE;
    }
  }

  reset(): void {
    this.restart();
    this.state = STABLE;
    this.detections = 0;
  }

  snapshot(): DdmSnapshot {
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    return { name: this.name, state: this.state, count: this.count, errors: this.errors, pMin: finite(this.pMin), sMin: finite(this.sMin) };
  }

  restore(saved: unknown): void {
    const s = savedDetector(saved, this.name);
    const count = savedNumber(s, 'count');
    const errors = savedNumber(s, 'errors');
    if (!Number.isInteger(count) || !Number.isInteger(errors) || errors < 0 || count < errors) throw new Error(`saved ddm counts ${errors}/${count} out of range`);
    const pMin = savedNumber(s, 'pMin', Infinity);
    const sMin = savedNumber(s, 'sMin', Infinity);
    this.count = count;
    this.errors = errors;
    this.pMin = pMin;
    this.sMin = sMin;
    this.state = s.state;
  }

  private restart(): void {
    this.count = 0;
    this.errors = 0;
    this.pMin = Infinity;
    this.sMin = Infinity;
  }
}

export const ddm: DetectorDescriptor<DdmOptions> = {
  name: 'ddm',
  input: 'binary',
  defaults: { minInstances: 30, warningLevel: 2, driftLevel: 3 },
  create: (options) => new Ddm(options),
};
