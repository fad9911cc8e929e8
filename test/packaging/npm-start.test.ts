/**
 * `npm start` rebuilds dist/ only when src/ is newer: after `npm ci` (whose prepare script built it)
 * the demo starts without compiling again. Run on a scratch project whose build script only leaves
 * a mark, so the test costs no compilation.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-prestart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prestart() {
  rmSync(join(dir, 'built'), { force: true });
  const r = spawnSync(process.execPath, [join(dir, 'scripts', 'build-if-stale.mjs')], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr, built: existsSync(join(dir, 'built')) };
}

describe('npm start', () => {
  it('prestart runs the build script only when a source is newer than dist/cli.js', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prestart).toBe('node scripts/build-if-stale.mjs');
    expect(pkg.scripts.prepare).toBe('npm run build');
    mkdirSync(join(dir, 'scripts'));
    mkdirSync(join(dir, 'src'));
    copyFileSync(join(ROOT, 'scripts', 'build-if-stale.mjs'), join(dir, 'scripts', 'build-if-stale.mjs'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { build: 'node -e "require(\'fs\').writeFileSync(\'built\', \'\')"' } }));
    for (const f of ['tsconfig.json', 'tsconfig.build.json']) writeFileSync(join(dir, f), '{}');
    writeFileSync(join(dir, 'src', 'cli.ts'), '');
    const old = new Date(Date.now() - 60_000);
    for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src/cli.ts', 'src']) utimesSync(join(dir, f), old, old);

    const fresh = prestart();
    expect(fresh).toMatchObject({ code: 0, built: true });
    expect(fresh.stderr).toContain('no dist/ yet: building');

    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'cli.js'), ''); // as `npm ci`'s prepare leaves it: newer than src/
    expect(prestart()).toEqual({ code: 0, stderr: '', built: false });

    writeFileSync(join(dir, 'src', 'cli.ts'), '// edited');
    utimesSync(join(dir, 'src', 'cli.ts'), new Date(Date.now() + 5_000), new Date(Date.now() + 5_000));
    const edited = prestart();
    expect(edited).toMatchObject({ code: 0, built: true });
    expect(edited.stderr).toContain('src/ changed since the last build');
  });
});
