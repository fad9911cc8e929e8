/**
 * pino logs to stderr (stdout is kept for one-shot exposition): JSON lines, or pino-pretty's
 * human format. `auto` is pretty on a terminal and JSON otherwise (a log collector reads JSON).
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type LogFormat = 'auto' | 'json' | 'pretty';

export function createLogger(level: LevelWithSilent, destination: NodeJS.WritableStream = process.stderr, format: LogFormat = 'auto'): Logger {
  const pretty = destination === process.stderr && (format === 'pretty' || (format === 'auto' && process.stderr.isTTY));
  if (pretty) {
    return pino({ level, transport: { target: 'pino-pretty', options: { destination: 2 } } });
  }
  return pino({ level }, destination);
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
