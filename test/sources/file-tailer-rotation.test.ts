/**
 * Rotation while running, the mtail way: rename-and-create, copytruncate, symlink swaps, deletion,
 * globs picking up new files, and paths that cannot be opened yet. Every test drives poll() by hand.
 */
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CollectingSink, capturingLogger, expectedLines, lines, makeTailer, makeTempDir, openFdTargets } from './tail-helpers.js';

describe('FileTailer: rotation while running', () => {
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

  it('rename-and-create: drains the old file to its end, then reads the new one from 0', async () => {
    writeFileSync(log, lines('a', 0, 3));
    const t = makeTailer(sink, { paths: [log] });
    await t.start();
    await t.poll();
    appendFileSync(log, lines('a', 3, 2)); // written before the rotation, not yet read
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, lines('a', 5, 1)); // the writer has not reopened yet
    writeFileSync(log, lines('b', 0, 2));
    await t.poll();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 6), ...expectedLines('b', 0, 2)]);
    expect(t.stats.rotations).toEqual({ rename: 1, truncate: 0, symlink: 0, deleted: 0, new_file: 0 });
    expect(t.stats.openFiles).toBe(1);
    await t.stop();
  });

  it('a poll landing between the rename and the create loses nothing', async () => {
    writeFileSync(log, lines('a', 0, 2));
    const t = makeTailer(sink, { paths: [log] });
    await t.start();
    await t.poll();
    appendFileSync(log, lines('a', 2, 2));
    renameSync(log, `${log}.1`);
    await t.poll(); // path gone: the old handle is drained and closed
    expect(sink.lines).toEqual(expectedLines('a', 0, 4));
    expect(t.stats.openFiles).toBe(0);
    writeFileSync(log, lines('b', 0, 3));
    await t.poll();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 4), ...expectedLines('b', 0, 3)]);
    expect(t.stats.rotations).toMatchObject({ deleted: 1, new_file: 1, rename: 0 });
    expect(t.stats.openErrors).toBe(0); // a path gone mid-rotation is not an open error
    await t.stop();
  });

  it('copytruncate: a file shorter than our offset is read again from 0', async () => {
    writeFileSync(log, lines('a', 0, 10));
    const t = makeTailer(sink, { paths: [log] });
    await t.poll();
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, lines('b', 0, 2));
    await t.poll();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 10), ...expectedLines('b', 0, 2)]);
    expect(t.stats.rotations.truncate).toBe(1);
    await t.stop();
  });

  it('truncate-and-rewrite past our offset before the next poll is caught by the first bytes', async () => {
    writeFileSync(log, 'a0\na1\n');
    const t = makeTailer(sink, { paths: [log] });
    await t.poll();
    truncateSync(log, 0);
    appendFileSync(log, lines('b', 0, 5)); // longer than before: size alone cannot tell
    await t.poll();
    expect(sink.lines).toEqual(['a0', 'a1', ...expectedLines('b', 0, 5)]);
    expect(t.stats.rotations.truncate).toBe(1);
    await t.stop();
  });

  it('truncate-and-rewrite to exactly our offset, nothing after it, is caught by the first bytes of a poll that reads nothing', async () => {
    writeFileSync(log, 'a0\na1\n');
    const t = makeTailer(sink, { paths: [log] });
    await t.poll(); // read bytes: their first bytes checked, the path check reads them no more
    truncateSync(log, 0);
    appendFileSync(log, 'b0\nb1\n'); // as long as before: neither size nor a read can tell
    await t.poll();
    expect(sink.lines).toEqual(['a0', 'a1', 'b0', 'b1']);
    expect(t.stats.rotations.truncate).toBe(1);
    await t.stop();
  });

  it('a rewrite that grows past our offset while the file keeps growing: no byte of the new start is taken for a continuation', async () => {
    writeFileSync(log, lines('a', 0, 3));
    const t = makeTailer(sink, { paths: [log] });
    await t.poll();
    appendFileSync(log, lines('a', 3, 2));
    await t.poll(); // an ordinary append: read, checked, delivered
    truncateSync(log, 0);
    appendFileSync(log, lines('b', 0, 9));
    await t.poll();
    appendFileSync(log, lines('b', 9, 1));
    await t.poll();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 5), ...expectedLines('b', 0, 10)]);
    expect(t.stats.rotations.truncate).toBe(1);
    await t.stop();
  });

  it('a symlink retargeted to another file: old target drained, new one read from 0', async () => {
    const current = join(dir, 'current');
    writeFileSync(join(dir, 'one.log'), lines('a', 0, 2));
    symlinkSync(join(dir, 'one.log'), current);
    const t = makeTailer(sink, { paths: [current] });
    await t.poll();
    appendFileSync(join(dir, 'one.log'), lines('a', 2, 1));
    writeFileSync(join(dir, 'two.log'), lines('b', 0, 2));
    symlinkSync(join(dir, 'two.log'), `${current}.tmp`);
    renameSync(`${current}.tmp`, current); // atomic swap, as deploy tools do
    await t.poll();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 3), ...expectedLines('b', 0, 2)]);
    expect(t.stats.rotations).toMatchObject({ symlink: 1, rename: 0 });
    await t.stop();
  });

  it('a file deleted while open is drained and its handle really closed', async () => {
    writeFileSync(log, lines('a', 0, 2));
    const t = makeTailer(sink, { paths: [log] });
    await t.poll();
    expect(openFdTargets()).toContain(log);
    appendFileSync(log, lines('a', 2, 1));
    unlinkSync(log);
    await t.poll();
    expect(sink.lines).toEqual(expectedLines('a', 0, 3));
    expect(t.stats.openFiles).toBe(0);
    expect(t.stats.rotations.deleted).toBe(1);
    expect(openFdTargets().filter((p) => p.startsWith(log))).toEqual([]);
    await t.stop();
  });

  it('a glob picks up a new file within one poll and ignores rotated and compressed names', async () => {
    writeFileSync(join(dir, 'a.log'), lines('a', 0, 1));
    const t = makeTailer(sink, { paths: [join(dir, '*.log')], startAt: 'end' });
    await t.start();
    writeFileSync(join(dir, 'b.log'), lines('b', 0, 2));
    writeFileSync(join(dir, 'b.log.1'), lines('rotated', 0, 1));
    writeFileSync(join(dir, 'b.log.2.gz'), lines('gz', 0, 1));
    writeFileSync(join(dir, 'c.log.gz'), lines('gz', 0, 1));
    await t.poll();
    expect(sink.lines).toEqual(expectedLines('b', 0, 2)); // new after startup: from 0, despite start_at end
    expect(t.stats.rotations.new_file).toBe(1);
    expect(t.stats.openFiles).toBe(2);
    await t.stop();
  });

  it('a file renamed to another name the glob matches resumes where it was, no lines doubled', async () => {
    writeFileSync(join(dir, 'a.log'), lines('a', 0, 3));
    const t = makeTailer(sink, { paths: [join(dir, '*.log')] });
    await t.poll();
    renameSync(join(dir, 'a.log'), join(dir, 'b.log'));
    appendFileSync(join(dir, 'b.log'), lines('a', 3, 1));
    await t.poll();
    await t.poll();
    expect(sink.lines).toEqual(expectedLines('a', 0, 4));
    await t.stop();
  });

  it('the same file under two matching names (symlink) is read once', async () => {
    writeFileSync(join(dir, 'real.log'), lines('a', 0, 2));
    symlinkSync(join(dir, 'real.log'), join(dir, 'alias.log'));
    const t = makeTailer(sink, { paths: [join(dir, '*.log')] });
    await t.poll();
    await t.poll();
    expect(sink.lines).toEqual(expectedLines('a', 0, 2));
    expect(t.stats.openFiles).toBe(1);
    await t.stop();
  });

  it('a file missing at startup is counted once, retried, and read from 0 when it appears', async () => {
    const { logger, records } = capturingLogger();
    const t = makeTailer(sink, { paths: [log], startAt: 'end', logger });
    await t.start();
    await t.poll();
    await t.poll();
    expect(t.stats.openErrors).toBe(1);
    expect(t.stats.openFiles).toBe(0);
    expect(records.filter((r) => r.msg === 'cannot open log file; retrying every poll')).toHaveLength(1);
    expect(records[0]).toMatchObject({ source: 'app', path: log, code: 'ENOENT' });
    writeFileSync(log, lines('late', 0, 2));
    await t.poll();
    expect(sink.lines).toEqual(expectedLines('late', 0, 2));
    expect(t.stats.rotations.new_file).toBe(1);
    expect(t.stats.openErrors).toBe(1);
    await t.stop();
  });

  it('a path present but unopenable at startup is opened at start_at once it can be', async () => {
    mkdirSync(log); // not a regular file (root ignores permission bits, so no chmod here)
    const t = makeTailer(sink, { paths: [log], startAt: 'end' });
    await t.start();
    expect(t.stats.openErrors).toBe(1);
    rmdirSync(log);
    writeFileSync(log, lines('there-before', 0, 2));
    await t.poll();
    appendFileSync(log, lines('after', 0, 1));
    await t.poll();
    expect(sink.lines).toEqual(expectedLines('after', 0, 1));
    await t.stop();
  });

  it('several files with identical short first lines keep separate offsets', async () => {
    for (const name of ['a', 'b', 'c']) writeFileSync(join(dir, `${name}.log`), `hdr\n${lines(name, 0, 2)}`);
    const t = makeTailer(sink, { paths: [join(dir, '*.log')] });
    await t.poll();
    appendFileSync(join(dir, 'b.log'), lines('b', 2, 3));
    await t.poll();
    expect(sink.lines.filter((l) => l === 'hdr')).toHaveLength(3);
    expect(sink.lines.filter((l) => l.startsWith('b'))).toEqual(expectedLines('b', 0, 5));
    expect(sink.lines).toHaveLength(3 + 2 + 5 + 2);
    await t.stop();
  });
  it('a read error closes that file only; it is reopened at its committed offset next poll', async () => {
    const other = join(dir, 'other.log');
    writeFileSync(log, lines('a', 0, 2));
    writeFileSync(other, lines('o', 0, 1));
    const t = makeTailer(sink, { paths: [log, other] });
    await t.poll();
    // Pull the descriptor out from under the tailer: its next read fails with EBADF.
    const fd = readdirSync('/proc/self/fd').find((n) => {
      try {
        return readlinkSync(`/proc/self/fd/${n}`) === log;
      } catch {
        return false;
      }
    });
    expect(fd, 'the tailer holds the log open').toBeDefined();
    closeSync(Number(fd));
    appendFileSync(log, lines('a', 2, 1));
    appendFileSync(other, lines('o', 1, 1));
    await t.poll();
    expect(t.stats.readErrors).toBe(1);
    expect(sink.lines).toContain('o1'); // the other file was read in the same poll
    await t.poll();
    expect(sink.lines.filter((l) => l.startsWith('a'))).toEqual(expectedLines('a', 0, 3));
    expect(t.stats.openFiles).toBe(2);
    await t.stop();
  });
});
