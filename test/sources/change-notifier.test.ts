import { appendFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeNotifier } from '../../src/sources/change-notifier.js';
import { makeTempDir } from './tail-helpers.js';

/** Resolves once onChange has been called (inotify delivers within milliseconds), or false after 2 s. */
function changes() {
  let count = 0;
  let waiter: (() => void) | undefined;
  return {
    onChange: () => {
      count++;
      waiter?.();
    },
    count: () => count,
    next: () =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 2000);
        waiter = () => {
          clearTimeout(timer);
          resolve(true);
        };
      }),
  };
}

describe('ChangeNotifier', () => {
  let cleanup = () => undefined as void;
  let notifier: ChangeNotifier | undefined;
  afterEach(() => {
    notifier?.close();
    cleanup();
  });

  function setup() {
    const t = makeTempDir();
    cleanup = t.cleanup;
    return t.dir;
  }

  it('reports an append to a file in a watched directory, not a write of the ignored checkpoint', async () => {
    const dir = setup();
    const log = join(dir, 'model.log');
    writeFileSync(log, 'a\n');
    const c = changes();
    notifier = new ChangeNotifier([log], c.onChange, (_dir, name) => name === 'checkpoint.json');
    await notifier.sync(new Map([[log, '1']]));
    expect(notifier.complete).toBe(true);
    let seen = c.next();
    writeFileSync(join(dir, 'checkpoint.json'), '{}');
    await new Promise((r) => setTimeout(r, 100));
    expect(c.count()).toBe(0);
    appendFileSync(log, 'b\n');
    expect(await seen).toBe(true);
    seen = c.next();
    notifier.rearm(); // as the poll this asked for starts
    writeFileSync(join(dir, 'model.log.1'), 'rotated\n');
    expect(await seen).toBe(true);
  });

  it('notifies once until rearmed: a write per line is one wake-up a poll, not one a line', async () => {
    const dir = setup();
    const log = join(dir, 'model.log');
    writeFileSync(log, '');
    const c = changes();
    notifier = new ChangeNotifier([log], c.onChange);
    await notifier.sync(new Map([[log, '1']]));
    for (let round = 1; round <= 3; round++) {
      const seen = c.next();
      for (let i = 0; i < 200; i++) appendFileSync(log, `line ${i}\n`);
      expect(await seen).toBe(true);
      await new Promise((r) => setTimeout(r, 100)); // time for any further events to arrive
      expect(c.count()).toBe(round);
      // Closed, not lost: the source still counts as watched, so it waits for the poll it was asked for.
      expect(notifier.complete).toBe(true);
      notifier.rearm();
    }
    // Rearmed and quiet: nothing is notified without a change.
    await new Promise((r) => setTimeout(r, 100));
    expect(c.count()).toBe(3);
  });

  it('mutes and rearms every directory it watches: a Kubernetes symlinked log, the files of several replicas', async () => {
    const dir = setup();
    mkdirSync(join(dir, 'pods'));
    mkdirSync(join(dir, 'containers'));
    const reals = [0, 1].map((r) => join(dir, 'pods', `replica-${r}.log`));
    const links = [0, 1].map((r) => join(dir, 'containers', `replica-${r}.log`));
    reals.forEach((real, r) => {
      writeFileSync(real, '');
      symlinkSync(real, links[r]!);
    });
    const c = changes();
    notifier = new ChangeNotifier([join(dir, 'containers', '*.log')], c.onChange);
    await notifier.sync(new Map(links.map((l, r) => [l, String(r)])));
    expect(notifier.complete).toBe(true);
    for (let round = 1; round <= 2; round++) {
      const seen = c.next();
      // Both replicas write a line at a time, and a new file appears where the links are.
      for (let i = 0; i < 100; i++) for (const real of reals) appendFileSync(real, `r${round} ${i}\n`);
      writeFileSync(join(dir, 'containers', `new-${round}.log`), '');
      expect(await seen).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
      expect(c.count()).toBe(round);
      notifier.rearm();
    }
  });

  it('falls back to polling when a muted directory cannot be watched again', async () => {
    const dir = setup();
    mkdirSync(join(dir, 'logs'));
    const log = join(dir, 'logs', 'model.log');
    writeFileSync(log, '');
    const c = changes();
    notifier = new ChangeNotifier([log], c.onChange);
    await notifier.sync(new Map([[log, '1']]));
    const seen = c.next();
    appendFileSync(log, 'x\n');
    expect(await seen).toBe(true);
    rmSync(join(dir, 'logs'), { recursive: true });
    notifier.rearm();
    expect(notifier.complete).toBe(false);
    expect(notifier.retrying).toBe(true);
    mkdirSync(join(dir, 'logs'));
    await notifier.sync(new Map());
    expect(notifier.complete).toBe(true);
  });

  it('watches where a symlinked log really is', async () => {
    const dir = setup();
    mkdirSync(join(dir, 'pods'));
    mkdirSync(join(dir, 'containers'));
    const real = join(dir, 'pods', '0.log');
    const link = join(dir, 'containers', 'app.log');
    writeFileSync(real, '');
    symlinkSync(real, link);
    const c = changes();
    notifier = new ChangeNotifier([join(dir, 'containers', '*.log')], c.onChange);
    await notifier.sync(new Map([[link, '1']]));
    expect(notifier.complete).toBe(true);
    const seen = c.next();
    appendFileSync(real, 'x\n');
    expect(await seen).toBe(true);
  });

  it('is incomplete (the source keeps polling) while a directory is missing or a glob has a wildcard directory', async () => {
    const dir = setup();
    notifier = new ChangeNotifier([join(dir, 'later', 'a.log')], () => undefined);
    await notifier.sync(new Map());
    expect(notifier.complete).toBe(false);
    mkdirSync(join(dir, 'later'));
    await notifier.sync(new Map());
    expect(notifier.complete).toBe(true);
    notifier.close();
    notifier = new ChangeNotifier([join(dir, '*', 'a.log')], () => undefined);
    await notifier.sync(new Map());
    expect(notifier.complete).toBe(false);
  });
});
