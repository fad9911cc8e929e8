/**
 * What the tailer delivers from one file that is only appended to: partial lines, limits, encodings,
 * start_at, lag and event-loop friendliness. Driven by poll(), never by sleeping.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CollectingSink, expectedLines, lines, makeTailer, makeTempDir } from './tail-helpers.js';

describe('FileTailer: lines from one file', () => {
  let dir = '';
  let cleanup = () => undefined as void;
  let log = '';
  let sink: CollectingSink;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    log = join(dir, 'app.log');
    sink = new CollectingSink();
  });
  afterEach(() => cleanup());

  it('holds a partial line until it is completed by a later write', async () => {
    writeFileSync(log, 'first\n{"half":');
    const t = makeTailer(sink, { paths: [log] });
    await t.start();
    await t.poll();
    expect(sink.lines).toEqual(['first']);
    expect(t.lagBytes()).toBe(8); // the partial line is read but not committed
    appendFileSync(log, '1}\nnext\n');
    await t.poll();
    expect(sink.lines).toEqual(['first', '{"half":1}', 'next']);
    expect(t.lagBytes()).toBe(0);
    await t.stop();
  });

  it('drops a line over max_line_bytes once and delivers the normal lines after it', async () => {
    writeFileSync(log, `ok1\n${'x'.repeat(5000)}\nok2\n`);
    const t = makeTailer(sink, { paths: [log], maxLineBytes: 100 });
    await t.poll();
    appendFileSync(log, `${'y'.repeat(300)}`);
    await t.poll();
    appendFileSync(log, `${'y'.repeat(300)}\nok3\n`);
    await t.poll();
    expect(sink.lines).toEqual(['ok1', 'ok2', 'ok3']);
    expect(sink.drops).toEqual(['too_long', 'too_long']);
    await t.stop();
  });

  it('drops invalid UTF-8 lines, strips CRLF and ignores empty lines', async () => {
    writeFileSync(log, Buffer.concat([Buffer.from('a\r\n\n\r\n'), Buffer.from([0x62, 0xfe, 0x0a]), Buffer.from('c\r\n\n')]));
    const t = makeTailer(sink, { paths: [log] });
    await t.poll();
    expect(sink.lines).toEqual(['a', 'c']);
    expect(sink.drops).toEqual(['invalid_utf8']);
    await t.stop();
  });

  it('reassembles a multi-byte character split across the 64 KiB read boundary', async () => {
    const head = 'a'.repeat(64 * 1024 - 1); // '€' (3 bytes) starts on the last byte of the first read
    writeFileSync(log, `${head}€tail\nsmall\n`);
    const t = makeTailer(sink, { paths: [log], maxLineBytes: 256 * 1024 });
    await t.poll();
    expect(sink.lines).toEqual([`${head}€tail`, 'small']);
    expect(sink.drops).toEqual([]);
    await t.stop();
  });

  it('start_at beginning reads what is there; start_at end only what comes after startup', async () => {
    writeFileSync(log, lines('old', 0, 3));
    const fromStart = makeTailer(sink, { paths: [log], startAt: 'beginning' });
    const endSink = new CollectingSink();
    const fromEnd = makeTailer(endSink, { paths: [log], startAt: 'end' });
    await fromStart.start();
    await fromEnd.start();
    appendFileSync(log, lines('new', 0, 2));
    await fromStart.poll();
    await fromEnd.poll();
    expect(sink.lines).toEqual([...expectedLines('old', 0, 3), ...expectedLines('new', 0, 2)]);
    expect(endSink.lines).toEqual(expectedLines('new', 0, 2));
    await fromStart.stop();
    await fromEnd.stop();
  });

  it('start_at end starting while a line is being written delivers that line whole, once', async () => {
    writeFileSync(log, 'old\n{"being":');
    const t = makeTailer(sink, { paths: [log], startAt: 'end' });
    await t.start();
    appendFileSync(log, '"written"}\n');
    await t.poll();
    expect(sink.lines).toEqual(['{"being":"written"}']);
    await t.stop();
  });

  it('start_at end inside an unfinished line longer than 64 KiB skips that line silently', async () => {
    writeFileSync(log, `old\n${'z'.repeat(70_000)}`);
    const t = makeTailer(sink, { paths: [log], startAt: 'end', maxLineBytes: 1_000_000 });
    await t.start();
    appendFileSync(log, 'zz\nfresh\n');
    await t.poll();
    expect(sink.lines).toEqual(['fresh']);
    expect(sink.drops).toEqual([]);
    await t.stop();
  });

  it('reports lag and counts bytes read', async () => {
    writeFileSync(log, lines('l', 0, 10));
    const t = makeTailer(sink, { paths: [log], startAt: 'end' });
    await t.start();
    expect(t.lagBytes()).toBe(0);
    appendFileSync(log, 'abc\n');
    await t.poll();
    expect(t.stats.bytesRead).toBe(4);
    expect(t.stats.openFiles).toBe(1);
    await t.stop();
    expect(t.stats.openFiles).toBe(0);
  });

  it('lets other work run while catching up on several MiB', async () => {
    const line = `${'p'.repeat(1023)}\n`;
    writeFileSync(log, line.repeat(4 * 1024)); // 4 MiB
    const t = makeTailer(sink, { paths: [log], maxLineBytes: 2048 });
    let turns = 0;
    let polling = true;
    const spin = () => {
      if (!polling) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    await t.poll();
    polling = false;
    expect(sink.lines).toHaveLength(4 * 1024);
    expect(turns).toBeGreaterThanOrEqual(3);
    await t.stop();
  });

  it('drain() reads until nothing is left, without start()', async () => {
    writeFileSync(log, lines('d', 0, 5000));
    const t = makeTailer(sink, { paths: [log] });
    await t.drain();
    expect(sink.lines).toEqual(expectedLines('d', 0, 5000));
    await t.stop();
  });
  it('hands on the lines of each read (up to 1 MiB) inside one sink.read, a line cut by a read in the next', async () => {
    // 2.5 MiB of 100-byte lines: three reads, and lines cut at both 1 MiB boundaries.
    const line = `${'r'.repeat(99)}\n`;
    writeFileSync(log, line.repeat(26_215));
    const reads: number[] = [];
    let inRead = false;
    let outside = 0;
    class ReadSink extends CollectingSink {
      override lineBytes(bytes: Buffer, start: number, end: number): void {
        if (!inRead) outside++;
        reads[reads.length - 1]++;
        super.lineBytes(bytes, start, end);
      }
      read(deliver: () => void): void {
        reads.push(0);
        inRead = true;
        deliver();
        inRead = false;
      }
    }
    const t = makeTailer(new ReadSink(), { paths: [log] });
    await t.poll();
    expect(outside).toBe(0);
    // 1 MiB holds 10,485.76 lines: the line cut at the boundary is the next read's first.
    expect(reads).toEqual([10_485, 10_486, 26_215 - 20_971]);
    await t.stop();
  });
});
