/**
 * Many expositions, one per step of record time, into one OpenMetrics file with sample timestamps,
 * as `promtool tsdb create-blocks-from openmetrics` reads it: each family once (HELP, TYPE), all its
 * samples together in time order, `# EOF` last. Samples are held per family and spilled to files in
 * a temporary directory past a memory budget, so a long replay does not need its output in memory.
 */
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toOpenMetrics } from '../http/openmetrics.js';

interface FamilyBuffer {
  header: string[];
  parts: string[];
  spill?: string;
}

const SPILL_BYTES = 64 * 1024 * 1024;

export class OpenMetricsWriter {
  private readonly families = new Map<string, FamilyBuffer>();
  private buffered = 0;
  private spillDir: string | undefined;
  private readonly extra: string;
  samples = 0;

  /**
   * `labels` are added to every sample (the target labels a scrape adds: job, instance, …);
   * samples held in memory past `spillBytes` go to files.
   */
  constructor(
    labels: Record<string, string> = {},
    private readonly spillBytes = SPILL_BYTES,
  ) {
    this.extra = Object.entries(labels)
      .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
      .join(',');
  }

  private withLabels(sample: string): string {
    if (this.extra === '') return sample;
    const brace = sample.indexOf('{');
    const space = sample.indexOf(' ');
    if (brace >= 0 && brace < space) return sample[brace + 1] === '}' ? `${sample.slice(0, brace + 1)}${this.extra}${sample.slice(brace + 1)}` : `${sample.slice(0, brace + 1)}${this.extra},${sample.slice(brace + 1)}`;
    return `${sample.slice(0, space)}{${this.extra}}${sample.slice(space)}`;
  }

  /** Adds one exposition (Prometheus text format), every sample stamped `timeSeconds`. */
  add(prometheusText: string, timeSeconds: number): void {
    const stamp = ` ${timeSeconds}`;
    let family: FamilyBuffer | undefined;
    for (const line of toOpenMetrics(prometheusText).split('\n')) {
      if (line === '' || line === '# EOF') continue;
      const meta = /^# (HELP|TYPE|UNIT) (\S+)/.exec(line);
      if (meta) {
        let f = this.families.get(meta[2]);
        if (!f) this.families.set(meta[2], (f = { header: [], parts: [] }));
        // The header is written once: the first exposition that names the family gives it.
        if (f.parts.length === 0 && f.spill === undefined && !f.header.includes(line)) f.header.push(line);
        family = f;
        continue;
      }
      if (line.startsWith('#') || !family) continue;
      const sample = this.withLabels(line) + stamp;
      family.parts.push(sample);
      this.buffered += sample.length + 1;
      this.samples++;
    }
    if (this.buffered > this.spillBytes) this.spill();
  }

  private spill(): void {
    this.spillDir ??= mkdtempSync(join(tmpdir(), 'modelwatch-replay-'));
    let i = 0;
    for (const f of this.families.values()) {
      const name = `${i++}.om`;
      // A family with nothing held yet gets its file when it first has samples to spill.
      if (f.parts.length === 0) continue;
      f.spill ??= join(this.spillDir, name);
      appendFileSync(f.spill, f.parts.join('\n') + '\n');
      f.parts = [];
    }
    this.buffered = 0;
  }

  /** Writes the file and removes the spill directory. */
  finish(path: string): void {
    const fd = openSync(path, 'w');
    try {
      for (const f of this.families.values()) {
        if (f.parts.length === 0 && f.spill === undefined) continue;
        writeSync(fd, f.header.join('\n') + '\n');
        if (f.spill) writeSync(fd, readFileSync(f.spill));
        if (f.parts.length > 0) writeSync(fd, f.parts.join('\n') + '\n');
      }
      writeSync(fd, '# EOF\n');
    } finally {
      closeSync(fd);
      if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
    }
  }
}
