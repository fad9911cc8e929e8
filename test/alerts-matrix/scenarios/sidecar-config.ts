/**
 * The sidecar config of a scenario, as a user writes it: the request log (generic preset), the label
 * log when the scenario has ground truth, the reference file, and whatever the scenario adds.
 */
import type { LogFiles } from '../log/model-log.js';

export interface SidecarConfigOptions {
  files: LogFiles;
  labels: boolean;
  /** The reference section (path and columns). */
  reference?: Record<string, string>;
  /** More top-level YAML (drift, quality, features …). */
  extra?: string;
}

const flow = (o: Record<string, string>) => `{ ${Object.entries(o).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} }`;

export function sidecarConfig(o: SidecarConfigOptions): string {
  const lines = [
    'log: { level: error }',
    'sources:',
    `  - { type: file, name: requests, paths: [${JSON.stringify(o.files.records)}] }`,
  ];
  if (o.labels) lines.push(`  - { type: file, name: labels, role: labels, paths: [${JSON.stringify(o.files.labels)}] }`);
  if (o.reference) lines.push(`reference: ${flow(o.reference)}`);
  if (o.extra) lines.push(o.extra.trim());
  return lines.join('\n') + '\n';
}

/** The scenario's clock: minute 0 is a Monday midnight, on every grid step. */
export const START_MS = Date.UTC(2026, 2, 2);
export const at = (minute: number) => START_MS + minute * 60_000;

/** The target labels Prometheus adds to one sidecar's series. */
export function target(instance: string, namespace = 'prod'): Record<string, string> {
  return { job: 'modelwatch', namespace, instance, pod: instance.split(':')[0] };
}
