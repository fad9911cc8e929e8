/**
 * One auth model: with basic auth on, ingest is not open. It takes basic-auth credentials or the
 * bearer token, and is opened only by `ingest.allow_unauthenticated: true`. Requests without
 * credentials never reach bcrypt, and bcrypt runs off the event loop: /-/healthy answers fast while
 * a hundred bad passwords are being checked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Modelwatch } from '../../src/main.js';
import { startSidecar } from '../helpers/sidecar.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-ingest-auth-'));
const sidecars: Modelwatch[] = [];
afterAll(async () => {
  for (const s of sidecars) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

const webConfig = join(dir, 'web.yml');
// Cost 8 (a quarter of the usual 10) keeps the hundred checks below short; the path is the same.
writeFileSync(webConfig, `basic_auth_users:\n  prometheus: ${bcrypt.hashSync('s3cret', 8)}\n`);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const record = JSON.stringify({ model: 'm', model_version: 'v', features: { x: 1 }, latency_ms: 1, status: 200 });

async function start(ingest: Record<string, unknown> = {}): Promise<Modelwatch> {
  const mw = await startSidecar({ server: { listen: '127.0.0.1:0', web_config_file: webConfig }, ingest, resources: { enabled: false } });
  sidecars.push(mw);
  return mw;
}

const post = async (mw: Modelwatch, authorization?: string) =>
  (await fetch(`${mw.url}/v1/records`, { method: 'POST', body: record, headers: authorization ? { authorization } : {} })).status;

describe('ingest under basic auth', () => {
  it('needs credentials: none or wrong → 401, basic auth or the bearer token → 200', async () => {
    const mw = await start({ bearer_token: 'tok' });
    expect(await post(mw)).toBe(401);
    expect(await post(mw, basic('prometheus', 'wrong'))).toBe(401);
    expect(await post(mw, basic('nobody', 's3cret'))).toBe(401);
    expect(await post(mw, 'Bearer nope')).toBe(401);
    expect(await post(mw, basic('prometheus', 's3cret'))).toBe(200);
    expect(await post(mw, 'Bearer tok')).toBe(200);
    const kserve = await fetch(`${mw.url}/v1/cloudevents`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/cloudevents+json' } });
    expect(kserve.status).toBe(401);
    // /metrics under the same users.
    expect((await fetch(`${mw.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${mw.url}/metrics`, { headers: { authorization: basic('prometheus', 's3cret') } })).status).toBe(200);
  });

  it('without a bearer token too: basic auth only', async () => {
    const mw = await start();
    expect(await post(mw)).toBe(401);
    expect(await post(mw, basic('prometheus', 's3cret'))).toBe(200);
  });

  it('is opened only by ingest.allow_unauthenticated', async () => {
    const mw = await start({ allow_unauthenticated: true });
    expect(await post(mw)).toBe(200);
    expect((await fetch(`${mw.url}/metrics`)).status).toBe(401);
  });

  it('requests without credentials never reach bcrypt; /-/healthy stays fast while 100 bad passwords are checked', async () => {
    const mw = await start();
    // 300 anonymous posts: refused at once (300 bcrypt checks would take seconds).
    const t0 = performance.now();
    const anonymous = await Promise.all(Array.from({ length: 300 }, () => post(mw)));
    expect(anonymous.every((s) => s === 401)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(3000);

    // 100 distinct wrong passwords in flight (no cache can answer them), and probes meanwhile.
    const bad = Array.from({ length: 100 }, (_, i) => fetch(`${mw.url}/metrics`, { headers: { authorization: basic('prometheus', `wrong-${i}`) } }).then((r) => r.status));
    await new Promise((r) => setTimeout(r, 100));
    const probes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      expect((await fetch(`${mw.url}/-/healthy`)).status).toBe(200);
      probes.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    const statuses = await Promise.all(bad);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    probes.sort((a, b) => a - b);
    // The median, so one scheduling hiccup of a shared CI machine does not decide.
    const shown = probes.map((p) => p.toFixed(1)).join(', ');
    if (process.env.MW_PRINT_LATENCY) process.stdout.write(`/-/healthy under 100 bcrypt checks (ms): ${shown}\n`);
    expect(probes[5], `healthy probe latencies (ms): ${shown}`).toBeLessThan(50);
  }, 60_000);
});
