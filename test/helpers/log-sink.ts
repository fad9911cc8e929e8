/** modelwatch's logger writing its JSON lines into an array, so tests assert on the real log output (no mocks). */
import { Writable } from 'node:stream';
import { JsonLogger, type Level, type Logger } from '../../src/core/json-logger.js';

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

export interface LogSink {
  logger: Logger;
  lines: LogLine[];
}

export function logSink(level: Level = 'debug'): LogSink {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  return { logger: new JsonLogger(level, stream), lines };
}

/** The logger the tests that do not read logs use. */
export const silentLogger = (): Logger => new JsonLogger('silent', { write: () => true });
