/**
 * modelwatch's JSON-lines logger writes what pino writes for the same calls (pino is kept as a dev
 * reference here): the same keys in the same order, levels as numbers, errors serialized alike, so
 * log collectors and pino-pretty read it unchanged.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { JsonLogger, type Level, type Logger } from '../../src/core/json-logger.js';

function sink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(l);
      done();
    },
  });
  return { stream, lines };
}

/** The lines' keys and values, the time replaced (the two loggers run a moment apart). */
const shape = (lines: string[]) => lines.map((l) => Object.entries(JSON.parse(l) as Record<string, unknown>).map(([k, v]) => [k, k === 'time' ? typeof v : v]));

async function both(level: Level, use: (log: Logger) => void): Promise<[string[], string[]]> {
  const ours = sink();
  const theirs = sink();
  use(new JsonLogger(level, ours.stream));
  use(pino({ level }, theirs.stream));
  await new Promise((r) => setImmediate(r));
  return [ours.lines, theirs.lines];
}

describe('JsonLogger', () => {
  it("writes pino's lines: level number, time, pid, hostname, child bindings, fields, msg last", async () => {
    const [ours, theirs] = await both('info', (log) => {
      log.info('started');
      log.warn({ source: 'a', lag: 3, nested: { x: [1, 'y'] }, gone: undefined }, 'behind');
      log.debug({ hidden: true }, 'below the level');
      const child = log.child({ component: 'resources' });
      child.error({ collector: 'gpu' }, 'failed');
      child.child({ target: 't' }).fatal('stop');
      log.info({ only: 'fields' });
    });
    expect(ours).toHaveLength(5);
    expect(shape(ours)).toEqual(shape(theirs));
    expect(JSON.parse(ours[0])).toMatchObject({ level: 30, pid: process.pid, msg: 'started' });
  });

  it("serializes an error field, or an Error logged as the object, as pino's err serializer does", async () => {
    const e = Object.assign(new Error('no such file'), { code: 'ENOENT', path: '/x' });
    const [ours, theirs] = await both('info', (log) => {
      log.error({ err: e, path: '/x' }, 'cannot read');
      log.error(e);
    });
    expect(shape(ours)).toEqual(shape(theirs));
    expect(JSON.parse(ours[0]).err).toMatchObject({ type: 'Error', message: 'no such file', code: 'ENOENT' });
    expect(JSON.parse(ours[1]).msg).toBe('no such file');
  });

  it('silent writes nothing; the level can be changed; flush calls back', async () => {
    const { stream, lines } = sink();
    const log = new JsonLogger('silent', stream);
    log.fatal('x');
    expect(lines).toEqual([]);
    log.level = 'debug';
    log.debug('now');
    expect(() => (log.level = 'loud')).toThrow(/unknown log level/);
    await new Promise<void>((r) => log.flush(() => r()));
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['now']);
  });

  it('a value JSON cannot write does not throw out of the log call', () => {
    const { stream, lines } = sink();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    new JsonLogger('info', stream).warn({ cyclic, n: 10n }, 'odd fields');
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'odd fields', cyclic: expect.stringMatching(/^\[unserializable/), n: expect.stringMatching(/^\[unserializable/) });
  });
});
