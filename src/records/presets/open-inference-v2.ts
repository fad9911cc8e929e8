/**
 * Open Inference Protocol (v2) request/response logs, as Triton or MLServer request loggers write
 * them. Two shapes are accepted:
 *
 * (a) one line per call, both bodies together:
 *     {"id":"r-17","timestamp":"2024-05-14T09:21:37.512Z","model_name":"fraud-xgb",
 *      "request":{"inputs":[{"name":"input__0","shape":[1,5],"datatype":"FP32","data":[…]}]},
 *      "response":{"model_name":"fraud-xgb","model_version":"3","outputs":[…]},
 *      "latency_ms":4.2,"status":200}
 *     `timestamp`, `latency_ms`, `status`, `model_name`/`model`, `model_version` and `response`
 *     are optional; `id` falls back to the request's or response's own `id`. A line without
 *     `request` but with an `error` or a status ≥ 400 is a failed request without features.
 * (b) one line per half, joined by `id` within `pairing.ttl`, whichever comes first:
 *     {"id":"r-18","type":"request","timestamp":…,"body":{"inputs":[…]}}
 *     {"id":"r-18","type":"response","timestamp":…,"body":{"outputs":[…]}}
 *     Latency is the response's timestamp minus the request's, unless the response line has
 *     `latency_ms`. Either line may carry `model_name` and `model_version`.
 *
 * Bodies are read by inference-bodies.ts (v2 tensors; v1 instances/predictions also pass). The
 * record time is the request's timestamp, else the response's, else the time the line was read.
 */
import { isFailedRequest } from '../../core/failed-request.js';
import { compileFieldPath } from '../field-path.js';
import type { MapOutcome, Mapped } from '../map-outcome.js';
import { NO_FEATURES, type ModelRecord } from '../model-record.js';
import { classOrderedScores, type OutputGetters } from '../outputs.js';
import { parseTimestamp } from '../timestamps.js';
import { isPlainObject, toErrorReason, toFiniteNumber, toStatus, toText } from '../values.js';
import { HalfJoiner } from './half-joiner.js';
import { responseFromBody, rowsFromRequestBody } from './inference-bodies.js';
import { joinHalves, type ModelDefaults, type RequestHalf, type ResponseHalf } from './inference-halves.js';
import type { PresetContext, RecordPreset } from './preset.js';

type Line = Record<string, unknown>;

export function createOpenInferencePreset(ctx: PresetContext): RecordPreset {
  const joiner = new HalfJoiner(ctx);
  const getters: OutputGetters = {
    prediction: compileFieldPath(ctx.format.fields.prediction),
    scores: classOrderedScores(compileFieldPath(ctx.format.fields.scores), ctx.classes),
  };

  function requestHalf(line: Line, body: unknown, eventTime: number | undefined): Mapped<RequestHalf> {
    const rows = rowsFromRequestBody(body, ctx.format);
    if (typeof rows === 'string') return rows;
    return {
      rows,
      eventTime,
      arrivalTime: ctx.clock.now() / 1000,
      model: toText(line.model_name) ?? toText(line.model),
      version: toText(line.model_version),
    };
  }

  function responseHalf(line: Line, body: unknown, eventTime: number | undefined): Mapped<ResponseHalf> {
    const read = responseFromBody(body, ctx.format, getters);
    if (typeof read === 'string') return read;
    const half: ResponseHalf = { ...read, eventTime, arrivalTime: ctx.clock.now() / 1000 };
    half.model = toText(line.model_name) ?? toText(line.model) ?? read.model;
    half.version = toText(line.model_version) ?? read.version;
    const status = toStatus(line.status);
    if (status !== undefined) half.status = status;
    const error = toErrorReason(line.error);
    if (error !== undefined) half.error = error;
    const latencyMs = toFiniteNumber(line.latency_ms);
    if (latencyMs !== undefined && latencyMs >= 0) half.latencySeconds = latencyMs / 1000;
    return half;
  }

  function combined(line: Line, eventTime: number | undefined, out: ModelRecord[]): MapOutcome {
    const request = requestHalf(line, line.request, eventTime);
    if (typeof request === 'string') return { error: request };
    let response: ResponseHalf | undefined;
    if (line.response !== undefined) {
      const read = responseHalf(line, line.response, undefined);
      if (typeof read === 'string') return { error: read };
      response = read;
    }
    const id = toText(line.id) ?? idOf(line.request) ?? idOf(line.response);
    return joinHalves(id, request, response, ctx.defaults, out);
  }

  function separate(line: Line, eventTime: number | undefined, out: ModelRecord[]): MapOutcome {
    if (line.type !== 'request' && line.type !== 'response') return { error: 'unknown_event_type' };
    const id = toText(line.id) ?? idOf(line.body);
    if (id === undefined) return { error: 'missing_request_id' };
    if (line.type === 'request') {
      const half = requestHalf(line, line.body, eventTime);
      return typeof half === 'string' ? { error: half } : joiner.request(id, id, half, out);
    }
    const half = responseHalf(line, line.body, eventTime);
    return typeof half === 'string' ? { error: half } : joiner.response(id, id, half, out);
  }

  return {
    map(value, out) {
      if (!isPlainObject(value)) return { error: 'not_object' };
      const eventTime = value.timestamp === undefined ? undefined : parseTimestamp(value.timestamp);
      if (value.timestamp !== undefined && eventTime === undefined) return { error: 'bad_timestamp' };
      if (value.type !== undefined || value.body !== undefined) return separate(value, eventTime, out);
      if (value.request !== undefined) return combined(value, eventTime, out);
      if (failedWithoutRequest(value, eventTime ?? ctx.clock.now() / 1000, ctx.defaults, out)) return 'ok';
      return { error: value.response !== undefined ? 'missing_features' : 'bad_body' };
    },
    expire: (nowMs) => joiner.expire(nowMs),
    pairStats: () => joiner.stats(),
  };
}

/** A one-line call that failed before its request was logged (a 503, a timeout): a request without features. */
function failedWithoutRequest(line: Line, timestamp: number, defaults: ModelDefaults, out: ModelRecord[]): boolean {
  const status = toStatus(line.status);
  const error = toErrorReason(line.error);
  if (!isFailedRequest(status, error)) return false;
  const record: ModelRecord = {
    timestamp,
    model: toText(line.model_name) ?? toText(line.model) ?? defaults.model,
    version: toText(line.model_version) ?? defaults.version,
    features: NO_FEATURES,
  };
  const id = toText(line.id);
  if (id !== undefined) record.requestId = id;
  const latencyMs = toFiniteNumber(line.latency_ms);
  if (latencyMs !== undefined && latencyMs >= 0) record.latencySeconds = latencyMs / 1000;
  if (status !== undefined) record.status = status;
  if (error !== undefined) record.error = error;
  out.push(record);
  return true;
}

function idOf(body: unknown): string | undefined {
  return isPlainObject(body) ? toText(body.id) : undefined;
}
