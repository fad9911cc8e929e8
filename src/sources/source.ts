/**
 * A Source produces raw lines (or already-decoded JSON values) and hands them to a sink.
 * Sources know nothing of records: the mapping stage turns their output into ModelRecords.
 */

/** Where a line came from; asked only when a skipped line is logged, so it costs nothing per line. */
export interface LineOrigin {
  /** The file (or `stdin`) and the line's byte offset or 1-based number in it. */
  origin(): { file: string; offset?: number; line?: number };
}

export interface LineSink {
  /** One complete line, without its terminator, valid UTF-8; `from` says where it was read. */
  line(text: string, source: string, from?: LineOrigin): void;
  /**
   * Optional: the same line as its UTF-8 bytes, bytes[start, end), where it lies in the read buffer,
   * not decoded (valid UTF-8, terminator and byte-order mark removed). The buffer is reused once
   * this returns. A source offers lines this way to a sink that has it, instead of line().
   */
  lineBytes?(bytes: Buffer, start: number, end: number, source: string, from?: LineOrigin): void;
  /** A line the source had to drop, counted under a reason (too_long, invalid_utf8, …). */
  dropped(reason: string, source: string): void;
  /**
   * Optional: the lines the source hands on while `deliver` runs came in one read, so they arrived
   * at the same instant (the analyzers take one clock reading for all of them). Called once a read;
   * the lines and drops of that read happen inside `deliver`, synchronously.
   */
  read?(deliver: () => void): void;
}

export interface Source {
  readonly name: string;
  /** Open and begin producing; resolves once the source is ready (files opened, port bound). */
  start(): Promise<void>;
  /** Read everything currently available to its end (one-shot mode). */
  drain(): Promise<void>;
  stop(): Promise<void>;
  /** Bytes known to be written but not yet read (file sources), for modelwatch_source_lag_bytes. */
  lagBytes?(): number;
  /** Rotations seen so far by kind (file sources), for modelwatch_log_rotations_total. */
  rotations?(): Record<string, number>;
  /** Files currently tailed (file sources), for modelwatch_source_files: 0 = the paths match nothing. */
  fileCount?(): number;
  /** Captures the committed offsets into the checkpoint's entries (file sources with a checkpoint). */
  recordOffsets?(): void;
  /**
   * Reads now what was written since the last read, if anything was (file sources): a checkpoint's
   * snapshot, which /metrics serves, then holds every line written before it began.
   */
  readNow?(): Promise<void>;
  /** Writes the committed offsets to the checkpoint now (file sources with a checkpoint). */
  checkpointNow?(): Promise<void>;
}
