/**
 * The event-loop delay summary of the Node metrics (`nodejs_eventloop_lag_p50_seconds` … `_p99`,
 * `_min`, `_max`, `_mean`, `_stddev`), sampled by a timer the sidecar runs anyway (the 1 s pairing
 * expiry) instead of a timer of its own.
 *
 * prom-client samples with `monitorEventLoopDelay`, a libuv timer that wakes the process at its
 * resolution: at 100 ms that was 10 of the 11 wake-ups a second of an idle sidecar and about a third
 * of its CPU (docs/performance.md, idle). Here each beat records how late it ran: the time since the
 * previous beat less the interval (Node reschedules an interval from when it last ran, so a stall is
 * counted once). monitorEventLoopDelay records the whole time between its wake-ups, resolution
 * included; these values are the delay alone, ~0 on a healthy loop.
 *
 * The gauges summarise the beats since the previous scrape (the histogram is reset when read, as
 * prom-client's is); with no beat since then they keep their last values.
 */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import { Gauge } from '../core/prom-client.js';

const SUMMARY = [
  ['min', 'Minimum', (h: RecordableHistogram) => h.min],
  ['max', 'Maximum', (h: RecordableHistogram) => h.max],
  ['mean', 'Mean', (h: RecordableHistogram) => h.mean],
  ['stddev', 'Standard deviation of', (h: RecordableHistogram) => h.stddev],
  ['p50', '50th percentile of', (h: RecordableHistogram) => h.percentile(50)],
  ['p90', '90th percentile of', (h: RecordableHistogram) => h.percentile(90)],
  ['p99', '99th percentile of', (h: RecordableHistogram) => h.percentile(99)],
] as const;

/** The summary gauges' names, for taking prom-client's out of a registry. */
export const EVENT_LOOP_DELAY_METRICS = SUMMARY.map(([stat]) => `nodejs_eventloop_lag_${stat}_seconds`);

export class EventLoopDelay {
  private readonly histogram: RecordableHistogram = createHistogram();
  private last = NaN;

  /** `intervalMs`: the period of the timer that calls beat(). */
  constructor(readonly intervalMs: number) {}

  /**
   * Called first thing by the periodic timer's callback; `now` in ms (performance.now()); `dueMs`:
   * the delay this beat was scheduled after (the heartbeat backs off while idle).
   */
  beat(now = performance.now(), dueMs = this.intervalMs): void {
    if (!Number.isNaN(this.last)) {
      // Node's timers run at whole milliseconds: a beat a little early reads as no delay.
      const lateNs = Math.round((now - this.last - dueMs) * 1e6);
      // The histogram takes integers ≥ 1 (ns).
      this.histogram.record(Math.max(1, lateNs));
    }
    this.last = now;
  }

  /** Registers the seven gauges; the first one's collect reads and resets the histogram for all. */
  register(registry: Registry): void {
    const h = this.histogram;
    const gauges: Gauge[] = [];
    const collect = () => {
      if (h.count === 0) return;
      SUMMARY.forEach(([, , read], i) => gauges[i].set(read(h) / 1e9));
      h.reset();
    };
    for (const [i, [, what]] of SUMMARY.entries()) {
      gauges.push(
        new Gauge({
          name: EVENT_LOOP_DELAY_METRICS[i],
          help: `${what} the event loop's delay in seconds: how late a timer due every ${this.intervalMs / 1000} s (every 5 s while idle) ran, over its runs since the last scrape.`,
          registers: [registry],
          ...(i === 0 ? { collect } : {}),
        }),
      );
    }
  }
}
