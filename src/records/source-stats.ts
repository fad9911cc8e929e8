/**
 * What each source has delivered, in plain numbers: the pipeline counts here on the hot path and the
 * self-metrics read it at scrape time. Tests wait on these counters instead of sleeping.
 */
import { MAP_ERROR_REASONS } from './map-outcome.js';

/**
 * Every reason a line can be skipped for: lines cut or undecodable (too_long, invalid_utf8), not JSON
 * (invalid_json), a mapper bug (mapping), or not a record (the mapping reasons). Each source's counter
 * starts at 0 for every one, so rate() and alerts work before the first error.
 */
export const LINE_ERROR_REASONS: readonly string[] = ['invalid_json', 'too_long', 'invalid_utf8', 'mapping', ...MAP_ERROR_REASONS];

export class SourceStats {
  lines = 0;
  records = 0;
  labels = 0;
  /** reason → count, every reason from the start */
  readonly errors = new Map<string, number>(LINE_ERROR_REASONS.map((r) => [r, 0]));
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
  /** The last source asked for: a stream asks for its own on every line, so the map is seldom needed. */
  private lastSource: string | undefined;
  private lastStats: SourceStats | undefined;

  for(source: string): SourceStats {
    if (source === this.lastSource) return this.lastStats!;
    let s = this.table.get(source);
    if (!s) {
      s = new SourceStats();
      this.table.set(source, s);
    }
    this.lastSource = source;
    this.lastStats = s;
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
