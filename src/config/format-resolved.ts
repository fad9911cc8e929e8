/**
 * The resolved config (defaults filled in, durations in seconds, sizes in bytes) as YAML, for
 * `modelwatch check-config`. Secrets are redacted so the output can be pasted into an issue.
 */
import { stringify } from 'yaml';
import type { Config } from './schema.js';

export const REDACTED = '<redacted>';

const HEADER = '# modelwatch resolved configuration: defaults filled in, durations in seconds, sizes in bytes';

export function formatResolvedConfig(cfg: Config): string {
  const shown: Config =
    cfg.ingest.bearer_token === undefined ? cfg : { ...cfg, ingest: { ...cfg.ingest, bearer_token: REDACTED } };
  return `${HEADER}\n${stringify(shown, { lineWidth: 0 })}`;
}
