/**
 * Which mapping `--stdin` reads its lines with. Piping the model server's log into the sidecar
 * (`tail -f server.log | modelwatch run --config c.yaml --stdin`) must map those lines the way the
 * config maps that server's log: the config's records source, not `ingest.format` (the HTTP ingest
 * API's mapping), which would count every line as missing_features.
 */
import { recordsFormat, type RecordsFormat } from '../config/records-format.js';
import type { Config } from '../config/schema.js';

export type StdinMapping = RecordsFormat;

/**
 * The first records source's mapping, else `ingest.format`. `configured` when a stdin source in the
 * config already reads standard input (a second reader would see every line twice).
 */
export function stdinMapping(config: Config): StdinMapping | 'configured' {
  if (config.sources.some((s) => s.role === 'records' && s.type === 'stdin')) return 'configured';
  return recordsFormat(config) ?? { format: config.ingest.format, from: 'ingest.format', differing: [] };
}
