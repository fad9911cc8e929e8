/**
 * Restarts: offsets resumed from the checkpoint exactly, files rotated while stopped found again,
 * a corrupt checkpoint survived. Exact line counts: nothing lost, nothing doubled.
 */
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../src/sources/checkpoint.js';
import type { FileTailerOptions } from '../../src/sources/file-tailer.js';
import { CollectingSink, capturingLogger, expectedLines, lines, makeTailer, makeTempDir } from './tail-helpers.js';

describe('FileTailer: restarts and the checkpoint', () => {
  let dir = '';
  let cleanup = () => undefined as void;
  let log = '';
  let checkpointPath = '';
  let sink: CollectingSink;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    log = join(dir, 'app.log');
    // The checkpoint lives in its own directory, as on a state volume.
    mkdirSync(join(dir, 'state'));
    checkpointPath = join(dir, 'state', 'offsets.json');
    sink = new CollectingSink();
  });
  afterEach(() => cleanup());

  /** A fresh tailer with a fresh store over the same checkpoint file, as after a process restart. */
  async function run(options: Partial<FileTailerOptions> = {}) {
    const store = new CheckpointStore({ path: checkpointPath });
    const tailer = makeTailer(sink, { paths: [log], startAt: 'end', ...options }, store);
    await tailer.start();
    return { tailer, store };
  }

  it('resumes exactly where it stopped: no line lost or doubled, a partial line re-read whole', async () => {
    writeFileSync(log, lines('a', 0, 100) + '{"partial":');
    const first = await run({ startAt: 'beginning' });
    await first.tailer.poll();
    await first.tailer.stop();
    expect(first.store.stats.writes).toBe(1);
    const saved = JSON.parse(readFileSync(checkpointPath, 'utf8'));
    expect(saved.files).toEqual([expect.objectContaining({ path: log, offset: Buffer.byteLength(lines('a', 0, 100)) })]);

    appendFileSync(log, 'true}\n' + lines('b', 0, 50));
    const second = await run({ startAt: 'end' }); // the checkpoint wins over start_at
    await second.tailer.poll();
    await second.tailer.stop();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 100), '{"partial":true}', ...expectedLines('b', 0, 50)]);
    expect(sink.lines).toHaveLength(151);
  });

  it('checkpointNow() writes committed offsets while running', async () => {
    writeFileSync(log, lines('a', 0, 3));
    const { tailer, store } = await run({ startAt: 'beginning' });
    await tailer.poll();
    await tailer.checkpointNow();
    expect(store.stats.writes).toBe(1);
    expect(JSON.parse(readFileSync(checkpointPath, 'utf8')).files[0].offset).toBe(9);
    await tailer.stop();
  });

  it('files with identical short first lines keep separate offsets across a restart', async () => {
    writeFileSync(join(dir, 'a.log'), `hdr\n${lines('a', 0, 2)}`);
    writeFileSync(join(dir, 'b.log'), `hdr\n${lines('b', 0, 5)}`);
    const paths = [join(dir, '*.log')];
    const first = await run({ paths, startAt: 'beginning' });
    await first.tailer.poll();
    await first.tailer.stop();
    appendFileSync(join(dir, 'a.log'), lines('a', 2, 1));
    appendFileSync(join(dir, 'b.log'), lines('b', 5, 2));
    const second = await run({ paths });
    await second.tailer.poll();
    await second.tailer.stop();
    expect(sink.lines.filter((l) => l === 'hdr')).toHaveLength(2);
    expect(sink.lines.filter((l) => l.startsWith('a'))).toEqual(expectedLines('a', 0, 3));
    expect(sink.lines.filter((l) => l.startsWith('b'))).toEqual(expectedLines('b', 0, 7));
  });

  it('a file renamed while stopped is found by its identity: its tail, then the new file', async () => {
    writeFileSync(log, lines('a', 0, 5));
    const first = await run({ startAt: 'beginning' });
    await first.tailer.poll();
    await first.tailer.stop();
    appendFileSync(log, lines('a', 5, 3)); // written after the stop, before the rotation
    renameSync(log, `${log}.1`);
    writeFileSync(log, lines('b', 0, 2));
    const second = await run();
    await second.tailer.poll();
    await second.tailer.stop();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 8), ...expectedLines('b', 0, 2)]);
    expect(second.tailer.stats.rotations.rename).toBe(1);
  });

  it('a file copytruncated while stopped is found by its fingerprint in the copy', async () => {
    writeFileSync(log, lines('a', 0, 5));
    const first = await run({ startAt: 'beginning' });
    await first.tailer.poll();
    await first.tailer.stop();
    appendFileSync(log, lines('a', 5, 2));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, lines('b', 0, 3));
    const second = await run();
    await second.tailer.poll();
    await second.tailer.stop();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 7), ...expectedLines('b', 0, 3)]);
  });

  it('same dev+ino with other first bytes (inode reuse, truncate-and-rewrite) is read from 0', async () => {
    writeFileSync(log, lines('a', 0, 3));
    const first = await run({ startAt: 'beginning' });
    await first.tailer.poll();
    await first.tailer.stop();
    // Rewritten in place, longer than the old offset: only the fingerprint can tell.
    truncateSync(log, 0);
    appendFileSync(log, lines('reborn', 0, 4));
    const second = await run();
    await second.tailer.poll();
    await second.tailer.stop();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 3), ...expectedLines('reborn', 0, 4)]);
    expect(second.tailer.stats.rotations.truncate).toBe(1);
  });

  it('a deleted-and-recreated file that got the old inode number back is not mistaken for the old one', async () => {
    writeFileSync(log, lines('a', 0, 3));
    const first = await run({ startAt: 'beginning' });
    await first.tailer.poll();
    await first.tailer.stop();
    const saved = JSON.parse(readFileSync(checkpointPath, 'utf8')).files[0];
    // Ask the filesystem for the same inode: on ext4/tmpfs a freed inode is usually handed out again.
    let reused = false;
    for (let i = 0; i < 20 && !reused; i++) {
      unlinkSync(log);
      writeFileSync(log, lines('new', 0, 4));
      reused = String(statSync(log).ino) === saved.ino;
    }
    const second = await run();
    await second.tailer.poll();
    await second.tailer.stop();
    // Reused or not, the new content is new: all of it, from 0.
    expect(sink.lines).toEqual([...expectedLines('a', 0, 3), ...expectedLines('new', 0, 4)]);
  });

  it('a corrupt checkpoint is moved aside, counted and logged; tailing starts from start_at', async () => {
    writeFileSync(checkpointPath, '\0'.repeat(512));
    writeFileSync(log, lines('a', 0, 3));
    const { logger, records } = capturingLogger();
    const store = new CheckpointStore({ path: checkpointPath, logger });
    const t = makeTailer(sink, { paths: [log], startAt: 'beginning', logger }, store);
    await t.start();
    await t.poll();
    await t.stop();
    expect(sink.lines).toEqual(expectedLines('a', 0, 3));
    expect(store.stats).toMatchObject({ corrupt: 1, writes: 1 });
    expect(readdirSync(join(dir, 'state')).filter((n) => n.startsWith('offsets.json.corrupt-'))).toHaveLength(1);
    expect(records.some((r) => r.level === 50 && String(r.msg).includes('corrupt'))).toBe(true);
  });

  it('a file missing at restart, with no rotated copy, is picked up from 0 when it comes back', async () => {
    writeFileSync(log, lines('a', 0, 2));
    const first = await run({ startAt: 'beginning' });
    await first.tailer.poll();
    await first.tailer.stop();
    unlinkSync(log);
    const second = await run();
    await second.tailer.poll();
    expect(second.tailer.stats.openFiles).toBe(0);
    writeFileSync(log, lines('b', 0, 2));
    await second.tailer.poll();
    await second.tailer.stop();
    expect(sink.lines).toEqual([...expectedLines('a', 0, 2), ...expectedLines('b', 0, 2)]);
  });
  it('a file that appeared after the last checkpoint is read from 0 despite start_at end', async () => {
    const first = await run({ paths: [join(dir, '*.log')] });
    await first.tailer.poll();
    await first.tailer.stop();
    writeFileSync(join(dir, 'b.log'), lines('b', 0, 2)); // created while stopped
    writeFileSync(log, lines('a', 0, 3));
    const second = await run({ paths: [join(dir, '*.log')] });
    await second.tailer.poll();
    await second.tailer.stop();
    expect([...sink.lines].sort()).toEqual([...expectedLines('a', 0, 3), ...expectedLines('b', 0, 2)]);
    expect(second.tailer.stats.rotations.new_file).toBe(2);
    // A source never seen before still honours start_at: the first run above skipped nothing only
    // because nothing existed; a new pattern on an existing file starts at its end.
    const other = join(dir, 'other.txt');
    writeFileSync(other, lines('o', 0, 2));
    const third = await run({ paths: [other] });
    await third.tailer.poll();
    await third.tailer.stop();
    expect(sink.lines.filter((l) => l.startsWith('o'))).toEqual([]);
  });

  it('never tails the checkpoint file, its temp files or moved-aside copies, even when a glob matches', async () => {
    checkpointPath = join(dir, 'offsets.json');
    writeFileSync(join(dir, 'offsets.json.corrupt-2024'), '{"x":1}\n');
    writeFileSync(log, lines('a', 0, 1));
    const first = await run({ paths: [join(dir, '*')], startAt: 'beginning' });
    await first.tailer.poll();
    await first.tailer.checkpointNow();
    await first.tailer.poll();
    await first.tailer.stop();
    const second = await run({ paths: [join(dir, '*')] });
    await second.tailer.poll();
    await second.tailer.stop();
    expect(sink.lines).toEqual(['a0']);
  });
});
