/**
 * Test helpers for the collectors: a logger whose JSON lines the test reads back, metric
 * values read from a registry, and fixture paths.
 */
import { fileURLToPath } from 'node:url';
import type { Registry } from 'prom-client';

export const FIXTURES = fileURLToPath(new URL('../fixtures/collectors/', import.meta.url));

export { logSink, type LogSink } from '../helpers/log-sink.js';

export interface Sample {
  labels: Record<string, string | number>;
  value: number;
}

export async function samples(registry: Registry, name: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const got = await metric.get();
  return got.values.map((v) => ({ labels: v.labels as Record<string, string | number>, value: v.value }));
}

/** The value of the one series matching the labels; undefined when there is none. */
export async function value(registry: Registry, name: string, labels: Record<string, string | number> = {}): Promise<number | undefined> {
  const matching = (await samples(registry, name)).filter((s) =>
    Object.entries(labels).every(([k, v]) => String(s.labels[k]) === String(v)),
  );
  if (matching.length > 1) throw new Error(`${matching.length} series of ${name} match ${JSON.stringify(labels)}`);
  return matching[0]?.value;
}

export async function metricType(registry: Registry, name: string): Promise<string | undefined> {
  return (await registry.getSingleMetric(name)?.get())?.type as string | undefined;
}
