/**
 * Which mapping `--stdin` reads its lines with. Piping the model server's log into the sidecar
 * (`tail -f server.log | modelwatch run --config c.yaml --stdin`) must map those lines the way the
 * config maps that server's log: the config's records source, not `ingest.format` (the HTTP ingest
 * API's mapping), which would count every line as missing_features.
 */
import type { Config, FormatConfig } from '../config/schema.js';

export interface StdinMapping {
  format: FormatConfig;
  /** Where the mapping comes from, for the startup log: `sources[0] (file "requests")` or `ingest.format`. */
  from: string;
  /** Other records sources that map differently (the user may have meant one of them). */
  differing: string[];
}

function describe(config: Config, i: number): string {
  const s = config.sources[i];
  return `sources[${i}] (${s.type}${s.name ? ` "${s.name}"` : ''})`;
}

/**
 * The first records source's mapping, else `ingest.format`. `configured` when a stdin source in the
 * config already reads standard input (a second reader would see every line twice).
 */
export function stdinMapping(config: Config): StdinMapping | 'configured' {
  const records = config.sources.map((s, i) => ({ s, i })).filter(({ s }) => s.role === 'records');
  if (records.some(({ s }) => s.type === 'stdin')) return 'configured';
  if (records.length === 0) return { format: config.ingest.format, from: 'ingest.format', differing: [] };
  const chosen = records[0].s.format;
  const same = JSON.stringify(chosen);
  const differing = records.slice(1).filter(({ s }) => JSON.stringify(s.format) !== same).map(({ i }) => describe(config, i));
  return { format: chosen, from: describe(config, records[0].i), differing };
}
