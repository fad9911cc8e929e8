/**
 * Logs go to stderr (stdout is kept for one-shot exposition): JSON lines in pino's shape
 * (json-logger.ts), or pino-pretty's human format. `auto` is pretty on a terminal and JSON
 * otherwise (a log collector reads JSON).
 */
import { createRequire } from 'node:module';
import type PinoPretty from 'pino-pretty';
import { JsonLogger, type LevelWithSilent, type Logger } from './json-logger.js';

export type { Level, LevelWithSilent, Logger } from './json-logger.js';

export type LogFormat = 'auto' | 'json' | 'pretty';

export function createLogger(level: LevelWithSilent, destination: NodeJS.WritableStream = process.stderr, format: LogFormat = 'auto'): Logger {
  const pretty = destination === process.stderr && (format === 'pretty' || (format === 'auto' && process.stderr.isTTY));
  if (pretty) {
    // pino-pretty formats in this thread, and is loaded only here: a pino transport would start a
    // worker thread (a second V8 heap) for a terminal's log, and could not find its worker file in
    // the bundled build (docs/performance.md, "The floor"). Synchronous, so the last lines before an
    // exit are written.
    // It reads the same JSON lines a log collector would.
    const pinoPretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
    return new JsonLogger(level, pinoPretty({ destination: 2, sync: true }));
  }
  return new JsonLogger(level, destination);
}

/**
 * Logs the first occurrence of a repeated problem at once, then at most one summary per interval:
 * a stream of malformed lines must not flood the log (it is always counted in metrics).
 */
export class RateLimitedLog {
  private last = new Map<string, { at: number; suppressed: number }>();
  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `fields` may be a function: it is called only when the message is logged (costly samples). */
  warn(key: string, fields: Record<string, unknown> | (() => Record<string, unknown>), msg: string): void {
    const t = this.now();
    const seen = this.last.get(key);
    if (seen && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(key, { at: t, suppressed: 0 });
    const f = typeof fields === 'function' ? fields() : fields;
    this.logger.warn(suppressed > 0 ? { ...f, suppressed } : f, msg);
  }
}
