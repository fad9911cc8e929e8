/**
 * KServe InferenceService payload logging (`spec.predictor.logger`). The logger posts one
 * CloudEvent per request and one per response; both carry the request's `id`:
 *
 *   {"specversion":"1.0","id":"5f4c…","type":"org.kubeflow.serving.inference.request",
 *    "source":"http://localhost:9081/","time":"2024-05-14T09:21:37.512930823Z",
 *    "inferenceservicename":"sklearn-iris","namespace":"default","component":"predictor",
 *    "endpoint":"","datacontenttype":"application/json",
 *    "data":{"instances":[[6.8,2.8,4.8,1.4],[6.0,3.4,4.5,1.6]]}}
 *   {… same id, "type":"org.kubeflow.serving.inference.response", "data":{"predictions":[1,1]}}
 *
 * The payload may be `data` (JSON, or JSON in a string) or `data_base64`, in the v1 or v2 protocol
 * (inference-bodies.ts). The halves are joined by id within one InferenceService and component; a
 * batch of N instances gives N records. Model is `inferenceservicename`, else the v2
 * `model_name`; version is the v2 `model_version`, else the configured default. Latency is the
 * response's `time` minus the request's; a response without `error` has status 200.
 */
import { compileFieldPath } from '../field-path.js';
import { classOrderedScores } from '../outputs.js';
import { readCloudEvent } from '../cloud-event.js';
import { parseTimestamp } from '../timestamps.js';
import { toText } from '../values.js';
import { HalfJoiner } from './half-joiner.js';
import { responseFromBody, rowsFromRequestBody } from './inference-bodies.js';
import type { PresetContext, RecordPreset } from './preset.js';

export { cloudEventFromBinary } from '../cloud-event.js';

export const KSERVE_REQUEST_TYPE = 'org.kubeflow.serving.inference.request';
export const KSERVE_RESPONSE_TYPE = 'org.kubeflow.serving.inference.response';

export function createKServePreset(ctx: PresetContext): RecordPreset {
  const joiner = new HalfJoiner(ctx);
  const getters = {
    prediction: compileFieldPath(ctx.format.fields.prediction),
    scores: classOrderedScores(compileFieldPath(ctx.format.fields.scores), ctx.classes),
  };
  return {
    map(value, out) {
      const event = readCloudEvent(value);
      if (typeof event === 'string') return { error: event };
      const { attributes } = event;
      const isRequest = event.type === KSERVE_REQUEST_TYPE;
      if (!isRequest && event.type !== KSERVE_RESPONSE_TYPE) return { error: 'unknown_event_type' };
      const eventTime = attributes.time === undefined ? undefined : parseTimestamp(attributes.time);
      if (attributes.time !== undefined && eventTime === undefined) return { error: 'bad_timestamp' };
      const arrivalTime = ctx.clock.now() / 1000;
      const service = toText(attributes.inferenceservicename);
      // Transformer and predictor log the same id: scope the join so their halves never cross.
      const key = `${service ?? ''}\u0000${toText(attributes.component) ?? ''}\u0000${event.id}`;
      if (isRequest) {
        const rows = rowsFromRequestBody(event.data, ctx.format);
        if (typeof rows === 'string') return { error: rows };
        return joiner.request(key, event.id, { rows, eventTime, arrivalTime, model: service }, out);
      }
      const body = responseFromBody(event.data, ctx.format, getters);
      if (typeof body === 'string') return { error: body };
      const half = { ...body, eventTime, arrivalTime, model: service ?? body.model };
      return joiner.response(key, event.id, half, out);
    },
    expire: (nowMs) => joiner.expire(nowMs),
    pairStats: () => joiner.stats(),
  };
}
