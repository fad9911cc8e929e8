/**
 * Record time is untrusted input. Time windows slide to the newest time they are given and never
 * back, so one record dated tomorrow (or 1e300) would empty every window for a day, and one dated
 * 1970 or NaN has no place in any window. Before any analyzer sees a record or a label, its time is
 * checked against the clock:
 *
 *   - ahead of now: taken as now (a server clock a little fast is normal, and a window must never be
 *     moved past now by a record); more than `max_future_skew` ahead is also counted (`future`);
 *   - older than `max_age`: replaced by now and counted (`too_old`);
 *   - not a finite, non-negative number: replaced by now and counted (`invalid`).
 *
 * The clock itself may step backwards (NTP, a VM restore). Windows already hold the later times, so
 * records at the stepped-back time would be dropped as too old until the clock caught up. Instead,
 * every backward step is added to an offset that is applied to the clock and to record times alike,
 * keeping one monotonic timeline for the windows (the server's log times stepped back with the
 * host clock). The offset is saved with the analyzers' state so a restart keeps the same timeline.
 */
import type { LabelRecord, ModelRecord } from '../records/model-record.js';
import type { Clock } from '../core/clock.js';

export const CLAMP_REASONS = ['future', 'too_old', 'invalid'] as const;
export type ClampReason = (typeof CLAMP_REASONS)[number];

export interface RecordTimeLimits {
  /** Seconds a record may be ahead of the clock before it is counted. */
  maxFutureSkew: number;
  /** Seconds a record may be behind the clock. */
  maxAge: number;
}

interface SavedTimeline {
  offsetMs: number;
  lastNowMs: number;
}

export class RecordTimeGuard {
  readonly clamped: Record<ClampReason, number> = { future: 0, too_old: 0, invalid: 0 };
  /** Sum of the clock's backward steps, ms. */
  private offsetMs = 0;
  private lastNowMs = -Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly limits: RecordTimeLimits,
  ) {}

  /** The clock on the monotonic timeline, ms. */
  now(): number {
    return this.timeline(this.clock.now());
  }

  /** Maps a raw clock reading onto the monotonic timeline, absorbing backward steps. */
  timeline(rawMs: number): number {
    if (rawMs < this.lastNowMs) this.offsetMs += this.lastNowMs - rawMs;
    this.lastNowMs = rawMs;
    return rawMs + this.offsetMs;
  }

  /** Checks (and, where needed, replaces) the record's time in place. */
  record(r: ModelRecord): void {
    r.timestamp = this.check(r.timestamp);
  }

  label(l: LabelRecord): void {
    l.timestamp = this.check(l.timestamp);
  }

  /** A record time in seconds, on the timeline, never after now. */
  check(seconds: number): number {
    const now = this.now() / 1000;
    if (!(seconds >= 0 && seconds < Infinity)) return this.clamp('invalid', now);
    const t = seconds + this.offsetMs / 1000;
    if (t > now) return t - now > this.limits.maxFutureSkew ? this.clamp('future', now) : now;
    if (now - t > this.limits.maxAge) return this.clamp('too_old', now);
    return t;
  }

  snapshot(): SavedTimeline {
    return { offsetMs: this.offsetMs, lastNowMs: Number.isFinite(this.lastNowMs) ? this.lastNowMs : 0 };
  }

  restore(saved: unknown): void {
    const s = saved as Partial<SavedTimeline> | undefined;
    if (typeof s?.offsetMs !== 'number' || typeof s.lastNowMs !== 'number' || !(s.offsetMs >= 0) || !Number.isFinite(s.lastNowMs)) return;
    this.offsetMs = s.offsetMs;
    this.lastNowMs = s.lastNowMs;
  }

  private clamp(reason: ClampReason, now: number): number {
    this.clamped[reason]++;
    return now;
  }
}
