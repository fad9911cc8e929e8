/**
 * `modelwatch demo` as a user starts it: it prints the config it runs with (path and text), the URLs
 * and a live line with errors, drift and MAE; Ctrl-C stops it, its server and its temp folder.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

describe('modelwatch demo', () => {
  it('prints its config and a live line with errors, drift and MAE; Ctrl-C stops it cleanly', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo', '--web.listen-address', '127.0.0.1:0'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no live line within 45 s:\n${stdout}\n${stderr}`)), 45_000);
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          // Two live lines: the second has a rate.
          if ((stdout.match(/^records\/s/gm) ?? []).length >= 2) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    const path = /^The config it runs with, (\S+modelwatch\.yaml) \(copy it to watch your own server\):$/m.exec(stdout)?.[1];
    expect(path).toBeDefined();
    expect(stdout).toMatch(/^ {4}sources:$/m);
    expect(stdout).toMatch(/^ {4}reference:$/m);
    expect(stdout).toMatch(/^metrics: {2}http:\/\/127\.0\.0\.1:\d+\/metrics$/m);
    expect(stdout).toMatch(/^records\/s +\d+\.\d \| p95 +\d+\.\d ms \| errors \d+ \(\d+ failed, \d+ torn\) \| drift .*\(30s\) \| MAE .*$/m);
    expect(stderr).toBe('');
    expect(existsSync(path!)).toBe(false);
  }, 60_000);
});
