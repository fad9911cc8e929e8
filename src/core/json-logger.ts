/**
 * A JSON-lines logger with pino's line shape, so log collectors set up for pino keep working:
 * `{"level":30,"time":1700000000000,"pid":7,"hostname":"h",<child bindings>,<fields>,"msg":"…"}`,
 * levels as pino's numbers (trace 10 … fatal 60), an `err` field (or an Error logged as the object)
 * written as pino's serializer writes it (type, message, stack and the error's own fields).
 *
 * Why not pino: it was 2.7 MiB of the process's resident memory in the bundled build (its module,
 * sonic-boom, thread-stream, the serializers; docs/performance.md, "The floor") for the ~30 log
 * calls modelwatch makes, none of them per record. pino remains what the tests' loggers may be: the
 * Logger interface below is the part of pino's the code uses.
 */
import { hostname } from 'node:os';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export type LevelWithSilent = Level | 'silent';

export const LEVEL_VALUES: Readonly<Record<LevelWithSilent, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/** What modelwatch calls on a logger: pino's Logger has all of it, so a pino logger may be passed too. */
export interface Logger {
  level: string;
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  child(bindings: Record<string, unknown>): Logger;
  flush(cb?: (err?: Error) => void): void;
}

/** Where the lines go: a stream, or pino-pretty's formatter (which reads pino's JSON lines). */
export interface LogDestination {
  write(line: string): unknown;
  writableLength?: number;
  once?(event: 'drain', listener: () => void): unknown;
}

/** pino-std-serializers' shape for an error: its type (class), message, stack, then its own fields (code, errno, path, …). */
function serializeError(e: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: e.constructor?.name ?? 'Error', message: e.message, stack: e.stack };
  for (const k of Object.keys(e)) if (!(k in out)) out[k] = (e as unknown as Record<string, unknown>)[k];
  if (e.cause !== undefined) out.cause = e.cause instanceof Error ? serializeError(e.cause) : e.cause;
  return out;
}

function errorsSerialized(_key: string, value: unknown): unknown {
  return value instanceof Error ? serializeError(value) : value;
}

/** `,"key":value` for each field; a value JSON cannot write (a cycle, a BigInt) is written as a string saying so. */
function fields(obj: object): string {
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    let json: string;
    try {
      json = JSON.stringify(v, errorsSerialized);
    } catch (e) {
      json = JSON.stringify(`[unserializable: ${(e as Error).message}]`);
    }
    out += `,${JSON.stringify(k)}:${json}`;
  }
  return out;
}

export class JsonLogger implements Logger {
  private threshold: number;
  private name: LevelWithSilent;
  readonly fatal: LogFn = (a: object | string, msg?: string) => this.write(60, a, msg);
  readonly error: LogFn = (a: object | string, msg?: string) => this.write(50, a, msg);
  readonly warn: LogFn = (a: object | string, msg?: string) => this.write(40, a, msg);
  readonly info: LogFn = (a: object | string, msg?: string) => this.write(30, a, msg);
  readonly debug: LogFn = (a: object | string, msg?: string) => this.write(20, a, msg);
  readonly trace: LogFn = (a: object | string, msg?: string) => this.write(10, a, msg);

  /** `bindings`: the `,"pid":…,"hostname":…` and child fields, written once as text. */
  constructor(
    level: LevelWithSilent,
    private readonly destination: LogDestination,
    private readonly bindings = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`,
  ) {
    this.name = level;
    this.threshold = LEVEL_VALUES[level];
  }

  get level(): string {
    return this.name;
  }

  set level(level: string) {
    if (!(level in LEVEL_VALUES)) throw new Error(`unknown log level "${level}"`);
    this.name = level as LevelWithSilent;
    this.threshold = LEVEL_VALUES[this.name];
  }

  child(bindings: Record<string, unknown>): Logger {
    return new JsonLogger(this.name, this.destination, this.bindings + fields(bindings));
  }

  /** Calls back once what was written has left the destination's buffer. */
  flush(cb?: (err?: Error) => void): void {
    const d = this.destination;
    if (cb === undefined) return;
    if (d.writableLength && d.once) d.once('drain', () => cb());
    else process.nextTick(cb);
  }

  private write(level: number, a: object | string, msg?: string): void {
    if (level < this.threshold) return;
    let line = `{"level":${level},"time":${Date.now()}${this.bindings}`;
    if (typeof a === 'string') msg = a;
    else if (a instanceof Error) {
      line += fields({ err: a });
      msg ??= a.message;
    } else line += fields(a);
    if (msg !== undefined) line += `,"msg":${JSON.stringify(msg)}`;
    this.destination.write(`${line}}\n`);
  }
}
