/**
 * Page–Hinkley test for an increase in the mean of a stream (E. S. Page, "Continuous inspection
 * schemes", Biometrika 1954), in river's form (drift.PageHinkley, river ≥ 0.8 defaults):
 *   x̄_t = running mean,  m_t = max(0, α·m_{t−1} + (x_t − x̄_t − δ)),  drift when m_t ≥ λ
 * after at least min_instances values. α < 1 slowly forgets old deviations; δ is the magnitude of
 * change tolerated. Any real input (0/1 errors or absolute errors); λ is in the input's units, so
 * scale it to the errors you feed (the default 50 suits errors of order 1–10).
 * Only increases are detected (errors going up); no warning state. After a drift the statistics
 * restart on the next value, as river does.
 */
import {
  DRIFT,
  STABLE,
  requireInRange,
  savedDetector,
  savedNumber,
  type DetectorDescriptor,
  type DetectorSnapshot,
  type DetectorState,
  type DriftDetector,
} from './detector.js';

interface PageHinkleySnapshot extends DetectorSnapshot {
  count: number;
  mean: number;
  cumulative: number;
}

export interface PageHinkleyOptions {
  minInstances: number;
  delta: number;
  /** λ, the detection threshold. */
  threshold: number;
  /** Forgetting factor. */
  alpha: number;
}

export class PageHinkley implements DriftDetector {
  readonly name = 'page_hinkley';
  state: DetectorState = STABLE;
  detections = 0;
  private readonly options: PageHinkleyOptions;
  private count = 1;
  private mean = 0;
  private cumulative = 0;

  constructor(options: Partial<PageHinkleyOptions> = {}) {
    this.options = { ...pageHinkley.defaults, ...options };
    requireInRange('page_hinkley minInstances', this.options.minInstances, 1, Number.MAX_SAFE_INTEGER);
    requireInRange('page_hinkley delta', this.options.delta, 0, Number.MAX_VALUE);
    requireInRange('page_hinkley threshold', this.options.threshold, Number.MIN_VALUE, Number.MAX_VALUE);
    requireInRange('page_hinkley alpha', this.options.alpha, 0, 1);
  }

  /** The test statistic m_t. */
  get statistic(): number {
    return this.cumulative;
  }

  update(x: number): void {
    if (this.state === DRIFT) this.restart();
    const { alpha, delta, minInstances, threshold } = this.options;
    this.mean += (x - this.mean) / this.count;
    this.cumulative = Math.max(0, alpha * this.cumulative + (x - this.mean - delta));
    this.count++;
    if (this.count >= minInstances && this.cumulative >= threshold) {
      this.state = DRIFT;
      this.detections++;
    } else {
      this.state = STABLE;
    }
  }

  reset(): void {
    this.restart();
    this.state = STABLE;
    this.detections = 0;
  }

  snapshot(): PageHinkleySnapshot {
    return { name: this.name, state: this.state, count: this.count, mean: this.mean, cumulative: this.cumulative };
  }

  restore(saved: unknown): void {
    const s = savedDetector(saved, this.name);
    const count = savedNumber(s, 'count');
    const cumulative = savedNumber(s, 'cumulative');
    if (!Number.isInteger(count) || count < 1 || cumulative < 0) throw new Error(`saved page_hinkley count ${count} / statistic ${cumulative} out of range`);
    const mean = savedNumber(s, 'mean');
    this.count = count;
    this.mean = mean;
    this.cumulative = cumulative;
    this.state = s.state;
  }

  private restart(): void {
    this.count = 1;
    this.mean = 0;
    this.cumulative = 0;
  }
}

export const pageHinkley: DetectorDescriptor<PageHinkleyOptions> = {
  name: 'page_hinkley',
  input: 'real',
  defaults: { minInstances: 30, delta: 0.005, threshold: 50, alpha: 1 - 0.0001 },
  create: (options) => new PageHinkley(options),
};
