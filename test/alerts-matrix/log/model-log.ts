/**
 * A model server's request log (generic preset: one JSON object per request) and, when requests get
 * ground truth, the label log the feedback pipeline writes (request id, label, its own timestamp).
 * Requests and labels are written in time order (labels by their arrival); logs of several models
 * merge into the one log their shared server writes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LoggedRequest {
  /** Milliseconds since the epoch. */
  t: number;
  model: string;
  version: string;
  /** Absent for a malformed payload the server rejected (it logs the request without features). */
  features?: Record<string, unknown>;
  prediction?: unknown;
  /** Binary classifiers: the positive-class score. */
  score?: number;
  latencyMs: number;
  status: number;
  error?: string;
  /** Ground truth, arriving `delayMs` after the prediction. */
  label?: { value: unknown; delayMs: number };
}

export interface LogFiles {
  records: string;
  labels: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class ModelLog {
  private lines: { t: number; line: string }[] = [];
  private labelLines: { t: number; line: string }[] = [];
  private next = 0;

  constructor(private readonly idPrefix = 'req') {}

  get size(): number {
    return this.lines.length;
  }

  add(r: LoggedRequest): void {
    const id = `${this.idPrefix}-${this.next++}`;
    const line: Record<string, unknown> = { timestamp: iso(r.t), request_id: id, model: r.model, model_version: r.version };
    if (r.features !== undefined) line.features = r.features;
    if (r.prediction !== undefined) line.prediction = r.prediction;
    if (r.score !== undefined) line.scores = r.score;
    line.latency_ms = Math.round(r.latencyMs * 1000) / 1000;
    line.status = r.status;
    if (r.error !== undefined) line.error = r.error;
    this.lines.push({ t: r.t, line: JSON.stringify(line) });
    if (r.label) {
      const t = r.t + r.label.delayMs;
      this.labelLines.push({ t, line: JSON.stringify({ timestamp: iso(t), request_id: id, label: r.label.value }) });
    }
  }

  /** One log holding both logs' requests and labels (their ids must not collide: distinct prefixes). */
  merge(other: ModelLog): ModelLog {
    const merged = new ModelLog(`${this.idPrefix}+${other.idPrefix}`);
    merged.lines = this.lines.concat(other.lines);
    merged.labelLines = this.labelLines.concat(other.labelLines);
    return merged;
  }

  /** Writes `<name>.jsonl` and `<name>-labels.jsonl` into dir. */
  write(dir: string, name = 'requests'): LogFiles {
    const files = { records: join(dir, `${name}.jsonl`), labels: join(dir, `${name}-labels.jsonl`) };
    for (const [path, lines] of [[files.records, this.lines], [files.labels, this.labelLines]] as const) {
      const sorted = [...lines].sort((a, b) => a.t - b.t);
      writeFileSync(path, sorted.map((l) => l.line).join('\n') + (sorted.length > 0 ? '\n' : ''));
    }
    return files;
  }
}
