/**
 * Golden scrape: the real pipeline, one-shot over a fixture log, must expose exactly what
 * test/fixtures/golden/one-shot.prom holds (process and timing metrics removed), and every scrape
 * passes `promtool check metrics`. Update the golden file with UPDATE_GOLDEN=1 npm test.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureLog } from '../helpers/fixture-log.js';
import { promtoolCheckMetrics } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';

const GOLDEN = join(import.meta.dirname, '..', 'fixtures', 'golden', 'one-shot.prom');
const dir = mkdtempSync(join(tmpdir(), 'mw-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Drops what varies run to run: the sidecar's own process metrics, durations, the Node version. */
function stable(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^(# (HELP|TYPE) )?(process_|nodejs_)/.test(l))
    .filter((l) => !/modelwatch_(analyzer_tick_duration_seconds|build_info)/.test(l))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

function writeFixture() {
  const { lines, referenceCsv } = fixtureLog();
  const log = join(dir, 'requests.jsonl');
  const reference = join(dir, 'reference.csv');
  writeFileSync(log, lines.join('\n') + '\n');
  writeFileSync(reference, referenceCsv);
  return { log, reference };
}

describe('golden scrape', () => {
  it('one-shot exposition equals the golden file and passes promtool', async () => {
    const { log, reference } = writeFixture();
    const mw = await startSidecar(
      {
        sources: [{ type: 'file', name: 'requests', paths: [log] }],
        reference: { path: reference, prediction_column: 'prediction' },
        drift: { windows: [{ count: 200 }, { duration: '1h' }], min_samples: 50 },
        resources: { enabled: false },
      },
      { oneShot: true },
    );
    await mw.drain();
    const text = await mw.metrics();
    await mw.stop();
    const check = promtoolCheckMetrics(text);
    expect(check.output).toBe('');
    expect(check.ok).toBe(true);
    const got = stable(text);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) {
      if (!existsSync(GOLDEN) && process.env.CI) throw new Error(`missing ${GOLDEN}: run UPDATE_GOLDEN=1 npx vitest run test/exposition/golden-scrape.test.ts`);
      writeFileSync(GOLDEN, got);
    }
    expect(got).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('serves the same content over HTTP as text, OpenMetrics and gzip, each passing promtool', async () => {
    const { log } = writeFixture();
    const mw = await startSidecar({
      sources: [{ type: 'file', name: 'requests', paths: [log], start_at: 'beginning' }],
      resources: { enabled: false },
    });
    await mw.drain();
    const text = await (await fetch(`${mw.url}/metrics`)).text();
    expect(text).toContain('modelwatch_requests_total{model="churn",version="v3",outcome="success",code="2xx"} 392');
    expect(promtoolCheckMetrics(text).ok).toBe(true);

    const om = await fetch(`${mw.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers.get('content-type')).toContain('application/openmetrics-text');
    const omText = await om.text();
    expect(omText.endsWith('# EOF\n')).toBe(true);
    expect(omText).toContain('# TYPE modelwatch_requests counter');
    expect(omText).toContain('modelwatch_requests_total{model="churn",version="v3",outcome="error",code="5xx"} 8');
    // promtool only lints the 0.0.4 text format; the OpenMetrics parser that matters is Prometheus's
    // own, which negotiates OpenMetrics first when scraping (see test/integration/).
    expect(omText).not.toMatch(/^# TYPE \S+_total counter$/m);

    // A plain text scrape after an OpenMetrics one still names counters with _total.
    expect(await (await fetch(`${mw.url}/metrics`)).text()).toContain('# TYPE modelwatch_requests_total counter');

    const { request } = await import('node:http');
    const gz = await new Promise<Buffer>((resolve, reject) => {
      request(`${mw.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip');
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      })
        .on('error', reject)
        .end();
    });
    expect(gunzipSync(gz).toString()).toContain('modelwatch_log_lines_total{source="requests"} 404');
    await mw.stop();
  });
});
