import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDriftCommand } from '../../src/batch/drift-command.js';
import { escapeHtml } from '../../src/batch/html-chart.js';
import { captureIo, tempDir, writeInputs } from './cars-data.js';

describe('--format html', () => {
  it('is one self-contained page with a summary and a chart per feature', async () => {
    const inputs = writeInputs(tempDir());
    const { io, out } = captureIo();
    expect(await runDriftCommand(['--reference', inputs.refCsv, '--current', inputs.curCsv, '--format', 'html'], io)).toBe(0);
    const html = out();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // A chart per feature, and one for the multivariate drift of all of them.
    expect(html.match(/<svg /g)?.length).toBe(9);
    expect(html.match(/<section /g)?.length).toBe(9);
    expect(html).not.toMatch(/<script|src=|href="http|@import|url\(/);
    expect(html).toContain('Horsepower');
    expect(html).toContain('Generated 2024-01-01T00:00:00.000Z');
  });

  it('escapes every data-derived text: column names, categories, file names', async () => {
    const dir = tempDir();
    const evil = '<img src=x onerror=alert(1)>';
    const header = `"${evil}",n&m\n`;
    const ref = join(dir, '<ref>.csv');
    const cur = join(dir, 'cur".csv');
    writeFileSync(ref, header + `"<b>bold</b>",1\n"a&b",2\n"x'y",3\n`);
    writeFileSync(cur, header + `"<b>bold</b>",1\n"<script>alert(2)</script>",5\n`);
    const { io, out } = captureIo();
    expect(await runDriftCommand(['--reference', ref, '--current', cur, '--format', 'html'], io)).toBe(0);
    const html = out();
    for (const raw of [evil, '<b>bold</b>', '<script>', "x'y", 'a&b', '<ref>', 'cur".csv', 'n&m']) expect(html).not.toContain(raw);
    expect(html).toContain(escapeHtml(evil));
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('n&amp;m');
  });
});
