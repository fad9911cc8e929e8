/**
 * The pipeline's part of the checkpoint, validated before anything of it is trusted: a counter value
 * must be a finite number, non-negative (a histogram's `_sum` aside, observations may be negative),
 * under a valid sample name with string label pairs; the analyzers' part must be an object (each
 * analyzer checks its own slice on restore). One bad field rejects the whole state: restoring half
 * of it would pair counters with windows of another instant.
 */
import * as z from 'zod';
import type { SavedSample } from '../metrics/counter-base.js';
import type { SavedCounters } from '../metrics/saved-counters.js';

export interface PipelineState {
  version: 1;
  counters: Record<string, SavedSample[]>;
  analyzers: Record<string, unknown>;
}

/** A state as captured for a write: the counters written from the captured families (the same JSON). */
export interface CapturedPipelineState extends Omit<PipelineState, 'counters'> {
  counters: SavedCounters;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const sampleSchema = z
  .object({
    n: z.string().regex(METRIC_NAME),
    l: z.array(z.tuple([z.string(), z.string()])),
    v: z.number().finite(),
  })
  .refine((s) => s.v >= 0 || s.n.endsWith('_sum'), { message: 'a counter value is negative' });

const stateSchema = z.object({
  version: z.literal(1),
  counters: z.record(z.string().regex(METRIC_NAME), z.array(sampleSchema)),
  analyzers: z.record(z.string(), z.unknown()).default({}),
});

/** The validated state, or why it was rejected (one line). */
export function parsePipelineState(raw: unknown): PipelineState | string {
  const r = stateSchema.safeParse(raw);
  if (r.success) return r.data as PipelineState;
  const issue = r.error.issues[0];
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
