/** Shared set-up for the quality analyzer tests: a config, an analyzer, and samples read back from /metrics text. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ModelQualityAnalyzer } from '../../src/analyzers/model-quality.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';

export function modelQuality(config: Record<string, unknown> = {}, clock = new ManualClock(1_000_000)) {
  const registry = new Registry();
  const parsed = configSchema.parse({ drift: { windows: [{ count: 1000 }] }, ...config });
  const analyzer = new ModelQualityAnalyzer({ config: parsed, registry, clock, logger: pino({ level: 'silent' }) });
  return { registry, analyzer, clock };
}

/** The value of the one sample of `name` with exactly these labels; undefined when absent. */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf('}');
    const parts = line.slice(name.length + 1, close).split(',');
    if (parts.length === wanted.length && wanted.every((w) => parts.includes(w))) return Number(line.slice(close + 2));
  }
  return undefined;
}

const QUALITY_FIXTURES = new URL('../fixtures/quality/', import.meta.url);

export function qualityFixture<T>(name: string): T {
  const url = new URL(name, QUALITY_FIXTURES);
  if (!existsSync(url)) throw new Error(`missing fixture ${url.pathname}: run /usr/bin/python3 scripts/gen_quality_fixtures.py`);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

export function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mw-quality-')), name);
  writeFileSync(path, text);
  return path;
}

/** Within 1e-9 relative or 1e-12 absolute, as the statistics tests compare with scikit-learn. */
export function closeTo(actual: number | undefined, expected: number): boolean {
  return actual !== undefined && Math.abs(actual - expected) <= 1e-12 + 1e-9 * Math.abs(expected);
}
