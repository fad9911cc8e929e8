/**
 * Starts modelwatch in-process for a test on a free loopback port, from a config object.
 */
import { pino } from 'pino';
import { configSchema } from '../../src/config/schema.js';
import { startModelwatch, type Modelwatch } from '../../src/main.js';

export async function startSidecar(config: Record<string, unknown>, opts: { oneShot?: boolean } = {}): Promise<Modelwatch> {
  const parsed = configSchema.parse({ server: { listen: '127.0.0.1:0' }, log: { level: 'silent' }, ...config });
  return startModelwatch({ config: parsed, logger: pino({ level: 'silent' }), oneShot: opts.oneShot });
}

/** A generic-preset log line. */
export function logLine(fields: Record<string, unknown>): string {
  return JSON.stringify({ timestamp: new Date().toISOString(), model: 'm', model_version: 'v1', ...fields });
}

/** The value of one series (`name{labels}` exactly as exposed) in an exposition text, or undefined. */
export function exposedValue(text: string, series: string): number | undefined {
  const at = text.indexOf(`\n${series} `);
  return at < 0 ? undefined : Number(text.slice(at + series.length + 2, text.indexOf('\n', at + 1)));
}
