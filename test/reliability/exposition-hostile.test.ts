/**
 * Values that came from logs and data files are escaped wherever they are shown: a category named
 * `<script>…` or holding quotes, backslashes and newlines stays text in the exposition (promtool
 * clean) and in the landing page, and request ids or raw numeric values never become label values.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderLandingPage } from '../../src/http/landing-page.js';
import { promtoolCheckMetrics } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE = '<script>alert(1)</script> "quoted" back\\slash\nnewline';

describe('hostile values from logs', () => {
  it('stay escaped text in the exposition and never leak ids or raw numbers into labels', async () => {
    const log = join(dir, 'requests.jsonl');
    const lines = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({
        request_id: `secret-id-${i}`,
        model: i % 2 ? HOSTILE : 'm',
        model_version: 'v"1',
        features: { color: i % 3 === 0 ? HOSTILE : `c${i % 4}`, amount: 1234.5678 + i },
        latency_ms: 3,
        status: i % 10 === 0 ? 500 : 200,
        error: i % 10 === 0 ? HOSTILE : undefined,
      }),
    );
    writeFileSync(log, lines.join('\n') + '\n');
    const mw = await startSidecar({ sources: [{ type: 'file', paths: [log] }], reference: { warmup_records: 50 }, drift: { min_samples: 10 }, resources: { enabled: false } }, { oneShot: true });
    await mw.drain();
    const text = await mw.metrics();
    await mw.stop();
    const check = promtoolCheckMetrics(text);
    expect(check.output).toBe('');
    expect(text).toContain('model="<script>alert(1)</script> \\"quoted\\" back\\\\slash\\nnewline"');
    expect(text).not.toContain('secret-id-');
    expect(text).not.toMatch(/="12\d\d\.\d+"/);
  });

  it('escapes names on the landing page', () => {
    const page = renderLandingPage({ version: '1', ready: true, startedAt: 0, analyzers: [HOSTILE], sources: [{ name: HOSTILE, lines: 1, records: 1, errors: 0 }] }, 0);
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;');
  });
});
