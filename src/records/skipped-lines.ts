/**
 * A sample of each kind of skipped line in the log, beside the counter: the counter says how many,
 * this says which line and where (`file` and byte `offset`, or `line` on stdin). Per source and
 * reason the first one is logged at once, then at most one per interval with the number suppressed;
 * the sample is the line's first 200 characters.
 */
import type { Clock } from '../core/clock.js';
import { RateLimitedLog, type Logger } from '../core/log.js';
import type { LineOrigin } from '../sources/source.js';

export const SAMPLE_CHARS = 200;

export function sampleOf(text: string): string {
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
}

export class SkippedLineLog {
  private readonly log: RateLimitedLog;

  constructor(logger: Logger, clock: Clock, intervalMs = 10_000) {
    this.log = new RateLimitedLog(logger, intervalMs, () => clock.now());
  }

  /** `sample` and `from` are read only when this one is logged. */
  skipped(source: string, reason: string, sample: () => string, from?: LineOrigin): void {
    this.log.warn(`${source}\u0000${reason}`, () => ({ source, reason, ...from?.origin(), sample: sampleOf(sample()) }), `line skipped: ${reason}`);
  }
}
