/**
 * The two halves of one inference call and how they join into ModelRecords: one record per
 * batch row, the request's features beside the response's output for the same row.
 */
import type { ModelRecord } from '../model-record.js';
import type { FeatureRow } from '../features.js';
import type { MapOutcome } from '../map-outcome.js';
import type { ResponseBody } from './inference-bodies.js';

export interface RequestHalf {
  rows: FeatureRow[];
  /** Event time as logged, seconds; absent when the log had none. */
  eventTime?: number;
  /** Clock time when the half was read, seconds: the record time of last resort. */
  arrivalTime: number;
  model?: string;
  version?: string;
}

export interface ResponseHalf extends ResponseBody {
  eventTime?: number;
  arrivalTime: number;
  /** As logged; otherwise computed from the two event times. */
  latencySeconds?: number;
}

export interface ModelDefaults {
  model: string;
  version: string;
}

/**
 * Appends one record per row. Batch rows get `<id>#<row>` as request id so a label source can name
 * a row; the id is never a metric label.
 */
export function joinHalves(
  requestId: string | undefined,
  request: RequestHalf,
  response: ResponseHalf | undefined,
  defaults: ModelDefaults,
  out: ModelRecord[],
): MapOutcome {
  const outputs = response?.outputs;
  if (outputs !== undefined && outputs.length !== request.rows.length) return { error: 'batch_mismatch' };
  const model = request.model ?? response?.model ?? defaults.model;
  const version = response?.version ?? request.version ?? defaults.version;
  const timestamp = request.eventTime ?? response?.eventTime ?? request.arrivalTime;
  const latency = response === undefined ? undefined : latencyOf(request, response);
  const batched = request.rows.length > 1;
  for (let i = 0; i < request.rows.length; i++) {
    const record: ModelRecord = { timestamp, model, version, features: request.rows[i] };
    if (requestId !== undefined) record.requestId = batched ? `${requestId}#${i}` : requestId;
    const output = outputs?.[i];
    if (output?.prediction !== undefined) record.prediction = output.prediction;
    if (output?.scores !== undefined) record.scores = output.scores;
    if (latency !== undefined) record.latencySeconds = latency;
    if (response?.status !== undefined) record.status = response.status;
    if (response?.error !== undefined) record.error = response.error;
    out.push(record);
  }
  return 'ok';
}

function latencyOf(request: RequestHalf, response: ResponseHalf): number | undefined {
  if (response.latencySeconds !== undefined) return response.latencySeconds;
  if (request.eventTime === undefined || response.eventTime === undefined) return undefined;
  const latency = response.eventTime - request.eventTime;
  return latency >= 0 ? latency : undefined;
}
