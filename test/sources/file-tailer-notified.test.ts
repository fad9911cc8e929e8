import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTailer } from '../../src/sources/file-tailer.js';
import { CollectingSink, useTempFile } from './tail-helpers.js';

/**
 * The tailer as production runs it: woken by inotify (no injected wait), fed by a writer that makes
 * one write(2) per line, as a model server logging each request does. The notifier closes its
 * watches at the first event until the next poll starts; no line written meanwhile may wait for the
 * 5 s safety poll, and none may be read twice.
 */
describe('FileTailer woken by change notifications, one write per line', () => {
  const setup = useTempFile('model.log');
  let tailer: FileTailer | undefined;
  afterEach(async () => {
    await tailer?.stop();
    tailer = undefined;
  });

  async function until(done: () => boolean, ms: number): Promise<number> {
    const t0 = performance.now();
    while (!done() && performance.now() - t0 < ms) await new Promise((r) => setTimeout(r, 5));
    return performance.now() - t0;
  }

  it('reads every line once, in order, within a poll of the last write, across a rename rotation', async () => {
    const { path } = setup();
    writeFileSync(path, '');
    const sink = new CollectingSink();
    let reads = 0;
    const counting = Object.assign(sink, { read: (deliver: () => void) => (reads++, deliver()) });
    tailer = new FileTailer({ name: 'app', paths: [path], startAt: 'beginning', pollIntervalMs: 20, maxLineBytes: 1024, sink: counting });
    await tailer.start();
    const expected: string[] = [];
    // 1,500 lines in ~1 s, each its own write, at uneven gaps; a rename rotation in the middle.
    for (let i = 0; i < 1500; i++) {
      const text = `{"i":${i}}`;
      expected.push(text);
      appendFileSync(path, text + '\n');
      if (i === 700) renameSync(path, path + '.1');
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, i % 3));
    }
    const waited = await until(() => sink.lines.length >= expected.length, 4000);
    expect(sink.lines).toEqual(expected);
    // Well inside the 5 s safety poll: the last writes were notified, not found by the safety net.
    expect(waited).toBeLessThan(1000);
    // The rotation seen once: as a rename, or, when a poll fell between the rename and the next line's
    // write that made the new file, as the old file gone and then a new one at the path.
    const r = tailer.rotations();
    expect(r.rename + r.deleted).toBe(1);
    // Read in batches: far fewer reads than writes (one wake-up a poll, polls 20 ms apart).
    expect(reads).toBeLessThan(expected.length / 5);
  });

  it('a line written after a quiet spell is read promptly (the watches are armed again after each poll)', async () => {
    const { path } = setup();
    writeFileSync(path, '');
    const sink = new CollectingSink();
    tailer = new FileTailer({ name: 'app', paths: [path], startAt: 'beginning', pollIntervalMs: 20, maxLineBytes: 1024, sink });
    await tailer.start();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) appendFileSync(path, `{"round":${round},"i":${i}}\n`);
      const waited = await until(() => sink.lines.length === (round + 1) * 20, 4000);
      expect(sink.lines.length).toBe((round + 1) * 20);
      expect(waited).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 60)); // quiet: the loop goes back to waiting for a notification
    }
  });
});
