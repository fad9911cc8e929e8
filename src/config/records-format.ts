/**
 * The mapping of the model server's log, as a config states it: its first records source's
 * `format`. What `--stdin` reads piped lines with and what `drift --config` reads a log with.
 */
import type { Config, FormatConfig } from './schema.js';

export interface RecordsFormat {
  format: FormatConfig;
  /** Where the mapping comes from, for logs and messages: `sources[0] (file "requests")`. */
  from: string;
  /** Other records sources that map differently (the user may have meant one of them). */
  differing: string[];
}

function describe(config: Config, i: number): string {
  const s = config.sources[i];
  return `sources[${i}] (${s.type}${s.name ? ` "${s.name}"` : ''})`;
}

/** The first records source's mapping; undefined when the config has no records source. */
export function recordsFormat(config: Config): RecordsFormat | undefined {
  const records = config.sources.map((s, i) => ({ s, i })).filter(({ s }) => s.role === 'records');
  if (records.length === 0) return undefined;
  const chosen = records[0].s.format;
  const same = JSON.stringify(chosen);
  const differing = records.slice(1).filter(({ s }) => JSON.stringify(s.format) !== same).map(({ i }) => describe(config, i));
  return { format: chosen, from: describe(config, records[0].i), differing };
}
