/**
 * CloudEvents 1.0 as KServe's payload logger sends them, in either HTTP mode:
 * - structured: the whole event is one JSON object (`specversion`, `id`, `type`, `source`, `time`,
 *   extension attributes, and `data` or `data_base64`); also how a log line holds an event;
 * - binary: attributes in `ce-*` headers, the payload as the body. `cloudEventFromBinary` turns
 *   that into the structured object, so one code path reads both.
 */
import type { Mapped } from './map-outcome.js';
import { isPlainObject, toText } from './values.js';

export type HttpHeaders = Record<string, string | string[] | undefined>;

export interface CloudEvent {
  id: string;
  type: string;
  /** Every attribute, extensions included (`inferenceservicename`, `namespace`, `component`, ...). */
  attributes: Record<string, unknown>;
  /** The decoded payload. */
  data: unknown;
}

export function cloudEventFromBinary(headers: HttpHeaders, body: unknown): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  let contentType: string | undefined;
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const value = Array.isArray(rawValue) ? rawValue[0] : rawValue;
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    if (name === 'content-type') contentType = value;
    else if (name.startsWith('ce-') && name.length > 3 && name !== 'ce-data' && name !== 'ce-data_base64') {
      event[name.slice(3)] = percentDecode(value);
    }
  }
  if (contentType !== undefined) event.datacontenttype = contentType;
  const isJson = contentType === undefined || /[/+]json\b/i.test(contentType);
  if (body instanceof Uint8Array) {
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    const parsed = isJson ? tryParseJson(text) : undefined;
    if (parsed === undefined) event.data_base64 = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64');
    else event.data = parsed;
  } else if (typeof body === 'string') {
    event.data = isJson ? (tryParseJson(body) ?? body) : body;
  } else if (body !== undefined && body !== null) {
    event.data = body;
  }
  return event;
}

/** Header values are percent-encoded by the HTTP binding (spec 3.1.3.2). */
function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A structured-mode event with its payload decoded: `data` as JSON (or a JSON string), or `data_base64`. */
export function readCloudEvent(value: unknown): Mapped<CloudEvent> {
  if (!isPlainObject(value)) return 'not_object';
  const type = value.type;
  if (typeof type !== 'string' || (value.specversion === undefined && value.source === undefined)) {
    return 'not_cloud_event';
  }
  const id = toText(value.id);
  if (id === undefined) return 'missing_request_id';
  const data = decodeData(value);
  if (data === undefined) return 'bad_body';
  return { id, type, attributes: value, data };
}

function decodeData(event: Record<string, unknown>): unknown {
  if (typeof event.data_base64 === 'string') {
    return tryParseJson(Buffer.from(event.data_base64, 'base64').toString('utf8'));
  }
  if (typeof event.data === 'string') return tryParseJson(event.data);
  return event.data ?? undefined;
}
