/**
 * The kernel keeps cumulative totals (CPU ticks, bytes read, OOM kills); modelwatch republishes them
 * as Prometheus counters whose value is set, not incremented. prom-client's Counter only adds, so a
 * series is removed and re-added at the kernel's value: the exposed TYPE stays `counter`.
 */
import type { Counter } from 'prom-client';

type Labels<T extends string> = Partial<Record<T, string | number>>;

/** Sets a counter series to an absolute total read from the kernel. */
export function setCounter<T extends string>(counter: Counter<T>, labels: Labels<T>, total: number): void {
  counter.remove(labels);
  counter.inc(labels, Math.max(0, total));
}

/**
 * A total summed over a changing set of processes can dip: a worker that exits takes its CPU time
 * with it until its parent reaps it (then the time reappears in the parent's cutime). Within one
 * target generation the exposed total never goes down; a new generation (restart) starts afresh,
 * which is the reset Prometheus expects.
 */
export class MonotonicTotal {
  private generation = -1;
  private value = 0;

  update(generation: number, total: number): number {
    if (generation !== this.generation) {
      this.generation = generation;
      this.value = total;
    } else if (total > this.value) {
      this.value = total;
    }
    return this.value;
  }
}
