import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FINGERPRINT_BYTES,
  fingerprintBytes,
  fingerprintOf,
  openRegularFile,
  parseFingerprint,
  prefixMatches,
} from '../../src/sources/file-identity.js';
import { makeTempDir } from './tail-helpers.js';

describe('fingerprint', () => {
  it('records how many bytes it covers, at most 256', () => {
    expect(fingerprintBytes(fingerprintOf(Buffer.from('abc')))).toBe(3);
    expect(fingerprintBytes(fingerprintOf(Buffer.alloc(1000, 1)))).toBe(FINGERPRINT_BYTES);
    expect(fingerprintOf(Buffer.alloc(0))).toMatch(/^0:[0-9a-f]{32}$/);
  });

  it('still matches a file that grew, and not one whose first bytes changed', () => {
    const fp = fingerprintOf(Buffer.from('header\nline 1\n'));
    expect(prefixMatches(fp, Buffer.from('header\nline 1\nline 2\n'))).toBe(true);
    expect(prefixMatches(fp, Buffer.from('header\nline X\nline 2\n'))).toBe(false);
    expect(prefixMatches(fp, Buffer.from('header\n'))).toBe(false); // shorter: truncated
  });

  it('an empty file fingerprint matches anything; a malformed one matches nothing', () => {
    expect(prefixMatches(fingerprintOf(Buffer.alloc(0)), Buffer.from('x'))).toBe(true);
    expect(parseFingerprint('nonsense')).toBeUndefined();
    expect(parseFingerprint('999:abcd')).toBeUndefined();
    expect(prefixMatches('nonsense', Buffer.from('x'))).toBe(false);
  });
});

describe('openRegularFile', () => {
  let cleanup = () => undefined as void;
  afterEach(() => cleanup());

  it('reads dev, ino, size and a fingerprint of the first bytes from the handle', async () => {
    const t = makeTempDir();
    cleanup = t.cleanup;
    const p = join(t.dir, 'a.log');
    writeFileSync(p, 'x'.repeat(300));
    const f = await openRegularFile(p);
    await f.handle.close();
    expect(f.size).toBe(300);
    expect(f.identity.ino).toMatch(/^\d+$/);
    expect(f.identity.fingerprint).toBe(fingerprintOf(Buffer.from('x'.repeat(256))));
    appendFileSync(p, 'more');
    const g = await openRegularFile(p);
    await g.handle.close();
    expect(g.identity).toEqual(f.identity);
  });

  it('refuses a directory with ENOTREG', async () => {
    const t = makeTempDir();
    cleanup = t.cleanup;
    await expect(openRegularFile(t.dir)).rejects.toMatchObject({ code: 'ENOTREG' });
  });
});
