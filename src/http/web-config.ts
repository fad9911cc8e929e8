/**
 * Web security compatible with Prometheus exporter-toolkit's `--web.config.file`: TLS (with
 * optional client certificates) and basic auth with bcrypt hashes. The same file works for
 * modelwatch and for every exporter beside it. A bad file is rejected at startup with the reason.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';

const tlsVersion = z.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']);

const webConfigSchema = z
  .object({
    tls_server_config: z
      .object({
        cert_file: z.string().min(1),
        key_file: z.string().min(1),
        client_ca_file: z.string().min(1).optional(),
        client_auth_type: z
          .enum(['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'])
          .default('NoClientCert'),
        min_version: tlsVersion.default('TLS12'),
        max_version: tlsVersion.default('TLS13'),
        cipher_suites: z.array(z.string()).optional(),
        prefer_server_cipher_suites: z.boolean().optional(),
        curve_preferences: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    http_server_config: z.object({ http2: z.boolean().optional(), headers: z.record(z.string(), z.string()).optional() }).strict().optional(),
    /** user → bcrypt hash */
    basic_auth_users: z.record(z.string(), z.string().regex(/^\$2[aby]\$\d{2}\$.{53}$/, 'expected a bcrypt hash ($2y$10$…)')).optional(),
  })
  .strict();

export type WebConfig = z.infer<typeof webConfigSchema>;

export class WebConfigError extends Error {}

export interface LoadedWebConfig {
  config: WebConfig;
  /** Node TLS options, when TLS is configured. */
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer; requestCert: boolean; rejectUnauthorized: boolean; minVersion: TlsName; maxVersion: TlsName };
}

type TlsName = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
const TLS_NAMES: Record<z.infer<typeof tlsVersion>, TlsName> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

function readRelative(base: string, file: string, what: string): Buffer {
  const path = resolve(base, file);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new WebConfigError(`${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export function loadWebConfig(path: string): LoadedWebConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (err) {
    throw new WebConfigError(`${path}: ${(err as Error).message}`);
  }
  const parsed = webConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WebConfigError(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const config = parsed.data;
  const tlsCfg = config.tls_server_config;
  if (!tlsCfg) return { config };
  // Paths are relative to the web config file, as in exporter-toolkit.
  const base = dirname(resolve(path));
  const verifying = tlsCfg.client_auth_type === 'RequireAndVerifyClientCert' || tlsCfg.client_auth_type === 'VerifyClientCertIfGiven';
  if (verifying && !tlsCfg.client_ca_file) throw new WebConfigError(`${path}: client_auth_type ${tlsCfg.client_auth_type} needs client_ca_file`);
  return {
    config,
    tls: {
      cert: readRelative(base, tlsCfg.cert_file, 'cert_file'),
      key: readRelative(base, tlsCfg.key_file, 'key_file'),
      ca: tlsCfg.client_ca_file ? readRelative(base, tlsCfg.client_ca_file, 'client_ca_file') : undefined,
      requestCert: tlsCfg.client_auth_type !== 'NoClientCert',
      // Only RequireAndVerifyClientCert makes the handshake itself refuse a client without a valid certificate.
      rejectUnauthorized: tlsCfg.client_auth_type === 'RequireAndVerifyClientCert',
      minVersion: TLS_NAMES[tlsCfg.min_version],
      maxVersion: TLS_NAMES[tlsCfg.max_version],
    },
  };
}
