/**
 * `poll(); wait(interval)` until stopped. The wait is injectable: tests pass one that never fires
 * and call poll() themselves; the default is a timer that stop() cancels at once.
 *
 * With change notifications (`notified()` true: every directory read from is watched), a poll runs
 * only once something changed (`wake()`), still never sooner than intervalMs after the last one (a
 * busy log appended every few milliseconds is read in batches, as without notifications), and at
 * least every safetyMs whatever the notifications say: they are a hint, and a missed one only delays
 * a read. Without them, a poll runs every intervalMs.
 */
export class PollLoop {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private wake_: (() => void) | undefined;
  /** A change was notified since the last poll started. */
  private changed = true;
  /** Resolves the long wait for a change, when one is in progress. */
  private waiting: (() => void) | undefined;
  /** now() polled since the current wait began. */
  private polledEarly = false;

  constructor(
    private readonly intervalMs: number,
    private readonly poll: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly wait?: (ms: number) => Promise<void>,
    private readonly notified: () => boolean = () => false,
    private readonly safetyMs = intervalMs,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.wake_?.();
  }

  /**
   * Polls now if there may be something to read: a change notified since the last poll started, or
   * no notifications to say (polling every interval). A checkpoint calls it so that its snapshot
   * holds what was written until it began, however far off the next poll is.
   */
  async now(): Promise<void> {
    if (!this.running || (!this.changed && this.notified())) return;
    this.polledEarly = true;
    await this.pollChanges();
  }

  /** Something changed in a watched directory: poll at the next chance. */
  wake(): void {
    this.changed = true;
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.polledEarly = false;
      const stopped = new Promise<void>((resolve) => (this.wake_ = resolve));
      await Promise.race([this.sleep(), stopped]);
      if (!this.running) return;
      // now() read the change this wait ended for, and none came since: wait for the next one.
      if (this.polledEarly && !this.changed && this.notified()) continue;
      await this.pollChanges();
    }
  }

  /** One poll, which reads every change notified so far; a failure is reported, never thrown. */
  private async pollChanges(): Promise<void> {
    this.changed = false;
    try {
      await this.poll();
    } catch (err) {
      this.onError(err);
    }
  }

  private sleep(): Promise<void> {
    if (this.wait) return this.wait(this.intervalMs);
    return new Promise((resolve) => {
      this.timer = setTimeout(() => {
        if (this.changed || !this.notified() || this.safetyMs <= this.intervalMs) return resolve();
        this.waiting = () => {
          clearTimeout(this.timer);
          resolve();
        };
        this.timer = setTimeout(() => this.wake(), this.safetyMs - this.intervalMs);
      }, this.intervalMs);
    });
  }
}
