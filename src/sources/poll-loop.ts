/**
 * `poll(); wait(interval)` until stopped. The wait is injectable: tests pass one that never fires
 * and call poll() themselves; the default is a timer that stop() cancels at once.
 */
export class PollLoop {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly poll: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly wait?: (ms: number) => Promise<void>,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const stopped = new Promise<void>((resolve) => (this.wake = resolve));
      await Promise.race([this.sleep(), stopped]);
      if (!this.running) return;
      try {
        await this.poll();
      } catch (err) {
        this.onError(err);
      }
    }
  }

  private sleep(): Promise<void> {
    if (this.wait) return this.wait(this.intervalMs);
    return new Promise((resolve) => (this.timer = setTimeout(resolve, this.intervalMs)));
  }
}
