/**
 * What each source has delivered, in plain numbers: the pipeline counts here on the hot path and the
 * self-metrics read it at scrape time. Tests wait on these counters instead of sleeping.
 */
export class SourceStats {
  lines = 0;
  records = 0;
  labels = 0;
  /** reason → count */
  readonly errors = new Map<string, number>();
  /** Event time of the newest record, seconds; 0 before the first. */
  lastRecordTimestamp = 0;

  error(reason: string): void {
    this.errors.set(reason, (this.errors.get(reason) ?? 0) + 1);
  }

  errorCount(): number {
    let n = 0;
    for (const v of this.errors.values()) n += v;
    return n;
  }
}

export class SourceStatsTable {
  private readonly table = new Map<string, SourceStats>();

  for(source: string): SourceStats {
    let s = this.table.get(source);
    if (!s) {
      s = new SourceStats();
      this.table.set(source, s);
    }
    return s;
  }

  entries(): IterableIterator<[string, SourceStats]> {
    return this.table.entries();
  }

  totalLines(): number {
    let n = 0;
    for (const s of this.table.values()) n += s.lines;
    return n;
  }
}
