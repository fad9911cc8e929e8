/**
 * exporter-toolkit compatible web security: the real Prometheus scrapes the sidecar over TLS with a
 * client certificate and basic auth; requests without them are refused; a bad web config is
 * rejected at startup with a clear error.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Modelwatch } from '../../src/main.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-tls-'));
const p = (f: string) => join(dir, f);

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCertificates(): void {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=modelwatch-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt']);
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ]) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    writeFileSync(p(`${name}.ext`), ext + '\n');
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
  }
}

function get(url: string, opts: { cert?: boolean; auth?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(p('ca.crt')),
        cert: opts.cert ? readFileSync(p('client.crt')) : undefined,
        key: opts.cert ? readFileSync(p('client.key')) : undefined,
        headers: opts.auth ? { authorization: `Basic ${Buffer.from(opts.auth).toString('base64')}` } : {},
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('TLS and basic auth (exporter-toolkit web config)', () => {
  let sidecar: Modelwatch;
  let prom: RunningPrometheus;

  beforeAll(async () => {
    makeCertificates();
    writeFileSync(
      p('web.yml'),
      [
        'tls_server_config:',
        '  cert_file: server.crt',
        '  key_file: server.key',
        '  client_ca_file: ca.crt',
        '  client_auth_type: RequireAndVerifyClientCert',
        '  min_version: TLS12',
        'basic_auth_users:',
        `  prometheus: ${bcrypt.hashSync('s3cret', 10)}`,
        '',
      ].join('\n'),
    );
    sidecar = await startSidecar({ server: { listen: '127.0.0.1:0', web_config_file: p('web.yml') }, resources: { enabled: false } });
    expect(sidecar.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    prom = await startPrometheus(
      [
        'global: { scrape_interval: 1s }',
        'scrape_configs:',
        '  - job_name: modelwatch',
        '    scheme: https',
        `    tls_config: { ca_file: ${p('ca.crt')}, cert_file: ${p('client.crt')}, key_file: ${p('client.key')} }`,
        '    basic_auth: { username: prometheus, password: s3cret }',
        `    static_configs: [{ targets: ['${new URL(sidecar.url!).host}'] }]`,
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await prom?.stop();
    await sidecar?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is scraped by the real Prometheus over TLS with a client certificate and basic auth', async () => {
    await waitFor('target up over TLS', async () => ((await prom.query('up{job="modelwatch"} == 1')).length === 1 ? true : undefined));
    const series = await prom.query('modelwatch_build_info{job="modelwatch"}');
    expect(series).toHaveLength(1);
  });

  it('refuses a client without a certificate, and wrong or unknown credentials alike', async () => {
    await expect(get(`${sidecar.url}/metrics`, { auth: 'prometheus:s3cret' })).rejects.toThrow();
    expect(await get(`${sidecar.url}/metrics`, { cert: true })).toBe(401);
    expect(await get(`${sidecar.url}/metrics`, { cert: true, auth: 'prometheus:wrong' })).toBe(401);
    expect(await get(`${sidecar.url}/metrics`, { cert: true, auth: 'mallory:s3cret' })).toBe(401);
    expect(await get(`${sidecar.url}/metrics`, { cert: true, auth: 'prometheus:s3cret' })).toBe(200);
    // Health probes stay open for the kubelet (but still need the TLS handshake).
    expect(await get(`${sidecar.url}/-/healthy`, { cert: true })).toBe(200);
  });

  it('rejects a bad web config at startup with a clear error', async () => {
    writeFileSync(p('bad.yml'), 'basic_auth_users:\n  admin: plaintext-password\n');
    await expect(startSidecar({ server: { listen: '127.0.0.1:0', web_config_file: p('bad.yml') } })).rejects.toThrow(/basic_auth_users\.admin: expected a bcrypt hash/);
    writeFileSync(p('bad2.yml'), 'tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n');
    await expect(startSidecar({ server: { listen: '127.0.0.1:0', web_config_file: p('bad2.yml') } })).rejects.toThrow(/cert_file .*nope\.crt: ENOENT/);
    writeFileSync(p('bad3.yml'), 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: Sometimes\n');
    await expect(startSidecar({ server: { listen: '127.0.0.1:0', web_config_file: p('bad3.yml') } })).rejects.toThrow(/client_auth_type/);
  });
});
