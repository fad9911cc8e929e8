import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expandGlob, hasGlobMagic, isCompressed, matchGlob } from '../../src/sources/glob.js';
import { makeTempDir } from './tail-helpers.js';

describe('matchGlob', () => {
  it.each([
    ['/var/log/*.log', '/var/log/app.log', true],
    ['/var/log/*.log', '/var/log/app.log.1', false],
    ['/var/log/*.log', '/var/log/app.log.2.gz', false],
    ['/var/log/*.log', '/var/log/sub/app.log', false],
    ['/var/log/*.log', '/var/log/.hidden.log', false],
    ['/var/log/.*.log', '/var/log/.hidden.log', true],
    ['/var/log/app-?.log', '/var/log/app-1.log', true],
    ['/var/log/app-?.log', '/var/log/app-12.log', false],
    ['/var/log/app-[0-9].log', '/var/log/app-7.log', true],
    ['/var/log/app-[0-9].log', '/var/log/app-x.log', false],
    ['/var/log/app-[!0-9].log', '/var/log/app-x.log', true],
    ['/var/log/app-[!0-9].log', '/var/log/app-7.log', false],
    ['/var/log/app-[ab].log', '/var/log/app-b.log', true],
    ['/var/log/**/*.log', '/var/log/app.log', true],
    ['/var/log/**/*.log', '/var/log/a/b/c/app.log', true],
    ['/var/log/**/*.log', '/var/log/.cache/app.log', false],
    ['/var/log/**', '/var/log/a/b', true],
    ['/var/log/a.(1)+.log', '/var/log/a.(1)+.log', true],
    ['/var/log/a.log', '/var/log/aXlog', false],
    ['/var/log/\\*.log', '/var/log/*.log', true],
    ['/var/log/\\*.log', '/var/log/x.log', false],
  ])('%s vs %s → %s', (pattern, path, expected) => {
    expect(matchGlob(pattern, path)).toBe(expected);
  });

  it('knows which patterns need expanding and which names are compressed', () => {
    expect(hasGlobMagic('/var/log/app.log')).toBe(false);
    expect(hasGlobMagic('/var/log/*.log')).toBe(true);
    expect(hasGlobMagic('/var/log/app-[12].log')).toBe(true);
    for (const p of ['a.log.gz', 'a.log.2.gz', 'a.bz2', 'a.xz', 'a.zst', 'a.ZIP']) expect(isCompressed(p), p).toBe(true);
    for (const p of ['a.log', 'a.log.1', 'gzip.log']) expect(isCompressed(p), p).toBe(false);
  });
});

describe('expandGlob', () => {
  let cleanup = () => undefined as void;
  afterEach(() => cleanup());

  it('lists matching regular files, sorted, through ** and symlinks to files, never directories', async () => {
    const t = makeTempDir();
    cleanup = t.cleanup;
    const d = t.dir;
    mkdirSync(join(d, 'a/b'), { recursive: true });
    mkdirSync(join(d, 'dir.log'));
    mkdirSync(join(d, '.hidden'));
    for (const f of ['x.log', 'x.log.1', 'x.log.2.gz', 'a/y.log', 'a/b/z.log', '.hidden/h.log', 'notes.txt']) {
      writeFileSync(join(d, f), 'line\n');
    }
    symlinkSync(join(d, 'a/y.log'), join(d, 'link.log'));
    symlinkSync(join(d, 'missing-target'), join(d, 'dangling.log'));

    expect(await expandGlob(join(d, '*.log'))).toEqual([join(d, 'link.log'), join(d, 'x.log')]);
    expect(await expandGlob(join(d, '**/*.log'))).toEqual(
      [join(d, 'a/b/z.log'), join(d, 'a/y.log'), join(d, 'link.log'), join(d, 'x.log')].sort(),
    );
    expect(await expandGlob(join(d, 'a/*/z.log'))).toEqual([join(d, 'a/b/z.log')]);
    expect(await expandGlob(join(d, 'x.log'))).toEqual([join(d, 'x.log')]);
    expect(await expandGlob(join(d, 'nope.log'))).toEqual([]);
    expect(await expandGlob(join(d, 'nope/*.log'))).toEqual([]);
  });
});
