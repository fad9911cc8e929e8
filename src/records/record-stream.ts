/**
 * The hinge between sources and analyzers: a LineSink that parses each line, maps it through the
 * source's preset and hands complete records (or labels) on. Every line ends up either delivered
 * or counted under a reason; nothing here throws back into a source.
 */
import { emptyArray } from '../core/empty-array.js';
import type { LineOrigin, LineSink } from '../sources/source.js';
import type { MapOutcome } from './map-outcome.js';
import type { RecordMapper } from './mapper.js';
import type { LabelRecord, ModelRecord } from './model-record.js';
import type { SkippedLineLog } from './skipped-lines.js';
import type { SourceStats, SourceStatsTable } from './source-stats.js';

/** What the stream needs of a record mapper (records/mapper.ts): records, the fast paths (text, bytes), labels. */
export type Mapper = Pick<RecordMapper, 'map' | 'mapLine' | 'mapBytes' | 'mapLabel'>;

export interface RecordConsumer {
  /**
   * True when record() reads a record only during the call (and calls `retain()` on one it keeps):
   * then records may be lent, carrying the scanner's reused typed columns.
   */
  readonly borrowsRecords?: boolean;
  record(r: ModelRecord): void;
  label(l: LabelRecord): void;
  /** Optional: the records and labels given during `deliver` came in one read, at one instant (LineSink.read). */
  read?(deliver: () => void): void;
}

export class RecordStream implements LineSink {
  private readonly batch: ModelRecord[] = [];

  constructor(
    private readonly mapper: Mapper,
    private readonly role: 'records' | 'labels',
    private readonly consumer: RecordConsumer,
    private readonly stats: SourceStatsTable,
    /** Logs a sample of skipped lines (rate-limited); absent: counted only. */
    private readonly skippedLog?: SkippedLineLog,
  ) {}

  line(text: string, source: string, from?: LineOrigin): void {
    const stats = this.stats.for(source);
    stats.lines++;
    if (this.role === 'records' && this.mapper.mapLine) {
      const out = this.batch;
      emptyArray(out);
      try {
        const outcome = this.mapper.mapLine(text, out, this.consumer.borrowsRecords === true);
        if (outcome !== undefined) {
          const reason = this.emit(stats, outcome);
          if (reason !== undefined) this.skippedText(source, reason, text, from);
          return;
        }
      } catch {
        this.fail(stats, 'mapping');
        this.skippedText(source, 'mapping', text, from);
        return;
      }
    }
    this.parsed(text, source, stats, from);
  }

  /**
   * A line as its bytes in the read buffer (sources/line-splitter.ts): the mapper scans them without
   * decoding the line; only a line it declines is decoded and goes the text way (JSON.parse: the
   * scanner has declined it already). A sink without this method is handed decoded lines instead.
   */
  lineBytes(bytes: Buffer, start: number, end: number, source: string, from?: LineOrigin): void {
    const mapBytes = this.mapper.mapBytes;
    if (this.role !== 'records' || mapBytes === undefined) {
      this.line(bytes.toString('utf8', start, end), source, from);
      return;
    }
    const stats = this.stats.for(source);
    stats.lines++;
    const out = this.batch;
    emptyArray(out);
    try {
      const outcome = mapBytes(bytes, start, end, out, this.consumer.borrowsRecords === true);
      if (outcome !== undefined) {
        const reason = this.emit(stats, outcome);
        if (reason !== undefined) this.skippedBytes(source, reason, bytes, start, end, from);
        return;
      }
    } catch {
      this.fail(stats, 'mapping');
      this.skippedBytes(source, 'mapping', bytes, start, end, from);
      return;
    }
    this.parsed(bytes.toString('utf8', start, end), source, stats, from);
  }

  // The sample's closure is made here, not in line()/lineBytes(): a closure there would make V8
  // allocate its context on every call, skipped or not.
  private skippedText(source: string, reason: string, text: string, from: LineOrigin | undefined): void {
    this.skippedLog?.skipped(source, reason, () => text, from);
  }

  /** The sample is decoded at once, while the read buffer still holds the line (the log reads it during the call). */
  private skippedBytes(source: string, reason: string, bytes: Buffer, start: number, end: number, from: LineOrigin | undefined): void {
    this.skippedLog?.skipped(source, reason, () => bytes.toString('utf8', start, end), from);
  }

  /** The slow way for a line: JSON.parse, then the mapper's getters. */
  private parsed(text: string, source: string, stats: SourceStats, from: LineOrigin | undefined): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      stats.error('invalid_json');
      this.skippedLog?.skipped(source, 'invalid_json', () => text, from);
      return;
    }
    const reason = this.deliver(value, source);
    if (reason !== undefined) this.skippedLog?.skipped(source, reason, () => text, from);
  }

  /** The lines of one read: the consumer hears that they arrived together. */
  read(deliver: () => void): void {
    const consumer = this.consumer;
    if (consumer.read === undefined) deliver();
    else consumer.read(deliver);
  }

  dropped(reason: string, source: string): void {
    const stats = this.stats.for(source);
    stats.lines++;
    stats.error(reason);
  }

  /** An already-decoded JSON value (HTTP ingest); counted as one line. Returns the error reason, if any. */
  value(value: unknown, source: string): string | undefined {
    this.stats.for(source).lines++;
    const reason = this.deliver(value, source);
    if (reason !== undefined) this.skippedLog?.skipped(source, reason, () => JSON.stringify(value) ?? String(value));
    return reason;
  }

  private deliver(value: unknown, source: string): string | undefined {
    const stats = this.stats.for(source);
    try {
      if (this.role === 'labels') {
        const label = this.mapper.mapLabel(value);
        if ('error' in label) return this.fail(stats, label.error);
        stats.labels++;
        this.consumer.label(label);
        return undefined;
      }
      const out = this.batch;
      emptyArray(out);
      return this.emit(stats, this.mapper.map(value, out));
    } catch {
      // A mapper bug must not stop the tail: count it like any bad line.
      return this.fail(stats, 'mapping');
    }
  }

  /** Hands the mapped batch on, or counts the mapping error. */
  private emit(stats: SourceStats, outcome: MapOutcome): string | undefined {
    if (typeof outcome === 'object') return this.fail(stats, outcome.error);
    for (const r of this.batch) {
      stats.records++;
      // After delivery: the consumer may have replaced an untrusted time (analyzers/record-time.ts).
      this.consumer.record(r);
      if (r.timestamp > stats.lastRecordTimestamp) stats.lastRecordTimestamp = r.timestamp;
    }
    return undefined;
  }

  private fail(stats: { error(reason: string): void }, reason: string): string {
    stats.error(reason);
    return reason;
  }
}
