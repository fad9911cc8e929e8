/**
 * The live run's heartbeat: expires pairing halves that waited past their TTL and samples the
 * event-loop delay (metrics/event-loop-delay.ts), every second while the sidecar works, every
 * IDLE_MS while it is idle (no line read and no tick that changed a result since the last beat, no
 * half waiting).
 *
 * Why back off: an idle sidecar's CPU is mostly wake-ups (docs/performance.md, idle rounds); this
 * timer was one a second of them. While idle there is nothing to expire, and the delay sampler sees
 * a loop with nothing to delay it. The first beat after anything moved is a 1 s one again. New lines
 * are noticed by the file sources, not by this timer: a backed-off heartbeat never delays a line.
 */
export const HEARTBEAT_MS = 1000;
export const IDLE_HEARTBEAT_MS = 5000;

export interface HeartbeatWork {
  /** Expires pairing halves past their TTL. */
  expire(): void;
  /** Grows whenever the pipeline's state may have changed (lines, ticks that changed a result, expiries). */
  stateVersion(): number;
  /** Pairing halves waiting (0: nothing can expire). */
  pending(): number;
  /** Records how late the beat ran against the delay it was due after. */
  beat?(now: number, dueMs: number): void;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private version = NaN;
  private due = HEARTBEAT_MS;
  private stopped = false;
  /** Beats so far, and of those the ones scheduled IDLE_MS apart (tests read them). */
  beats = 0;
  idleBeats = 0;

  constructor(private readonly work: HeartbeatWork) {
    this.schedule(HEARTBEAT_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private readonly run = (): void => {
    // The delay is measured from beat to beat, so the next one is scheduled first (as setInterval would).
    this.work.beat?.(performance.now(), this.due);
    this.beats++;
    const version = this.work.stateVersion();
    const idle = version === this.version && this.work.pending() === 0;
    this.version = version;
    if (idle) this.idleBeats++;
    this.schedule(idle ? IDLE_HEARTBEAT_MS : HEARTBEAT_MS);
    this.work.expire();
  };

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.due = ms;
    this.timer = setTimeout(this.run, ms).unref();
  }
}
