/**
 * The clock as the analyzers read it while records are delivered: read once, at the start of the
 * delivery, for the record-time check and every analyzer (each model series' last-seen time, the
 * label join's arrival time) instead of once per reader — four to five `Date.now()` calls a record
 * were 1.5 % of the ingest profile. A delivery is the lines of one read of a source (a file tailer's
 * read of up to 1 MiB, a chunk of stdin: LineSink.read), a record given alone (HTTP ingest, replay),
 * or the records held during a freeze. Outside a delivery (ticks, scrapes) it is the clock itself.
 *
 * The lines of one read arrived at one instant, the read's: that reading is their arrival time,
 * where a reading per record would have differed by the time spent mapping the lines before it
 * (~11 ms for a 1 MiB read of the bench log, ~2,000 lines). A record's own time comes from its line (the preset
 * reads the clock for a line without one); the reading is what that time is checked against (a
 * time ahead of it is taken as it: record-time.ts), each model series' last-seen time and the label
 * join's arrival time. A test's ManualClock, moved only between deliveries, gives the readings it gave.
 */
import type { Clock } from '../core/clock.js';

export class DeliveryClock implements Clock {
  private reading: number | undefined;

  constructor(private readonly clock: Clock) {}

  now(): number {
    return this.reading ?? this.clock.now();
  }

  /** Whether a delivery's reading is pinned. */
  get pinned(): boolean {
    return this.reading !== undefined;
  }

  /** Reads the clock for a delivery; false when one is already pinned (the outer delivery unpins). */
  pin(): boolean {
    if (this.reading !== undefined) return false;
    this.reading = this.clock.now();
    return true;
  }

  unpin(): void {
    this.reading = undefined;
  }
}
