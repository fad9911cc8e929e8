/**
 * A scenario's log through the real sidecar code: `modelwatch replay` (the command's own entry
 * point, as a user runs it) writes what /metrics would have served at every step of record time,
 * with the target labels a scrape adds; the OpenMetrics file becomes series on the scenario's grid.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReplayCommand } from '../../../src/replay/replay-command.js';
import type { Keep, SeriesSet } from './series.js';

class Capture {
  text = '';
  write(chunk: string | Buffer): boolean {
    this.text += String(chunk);
    return true;
  }
}

export interface ReplayTarget {
  /** The config, as YAML (file paths absolute). */
  config: string;
  /** Target labels: job, instance, namespace, … */
  labels: Record<string, string>;
  /** Replay until this time (seconds since the epoch) even after the logs end: the sidecar keeps being scraped. */
  toSeconds?: number;
}

/** Replays one target into `set`; returns the replay's summary line. */
export async function replayInto(set: SeriesSet, dir: string, target: ReplayTarget, keep: Keep): Promise<string> {
  const name = Object.values(target.labels).join('-').replace(/[^a-zA-Z0-9_-]/g, '_');
  const configPath = join(dir, `${name}.yaml`);
  const out = join(dir, `${name}.om`);
  writeFileSync(configPath, target.config);
  const labels = Object.entries(target.labels).map(([k, v]) => `${k}=${v}`).join(',');
  const args = ['--config', configPath, '--out', out, '--step', `${set.stepSeconds}s`, '--labels', labels];
  if (target.toSeconds !== undefined) args.push('--to', String(target.toSeconds));
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runReplayCommand(args, { stdout: stdout as unknown as NodeJS.WritableStream, stderr: stderr as unknown as NodeJS.WritableStream });
  if (code !== 0) throw new Error(`modelwatch replay ${args.join(' ')} exited ${code}:\n${stderr.text}`);
  set.addText(readFileSync(out, 'utf8'), target.labels, keep);
  return stderr.text.split('\n')[0];
}
