/**
 * Inference request and response bodies, in either protocol a KServe-style server speaks:
 *
 * - v1 request  `{"instances": [[6.8, 2.8, 4.8, 1.4], ...]}` (rows as arrays, objects or scalars;
 *   `inputs` in place of `instances` is read the same way)
 * - v1 response `{"predictions": [1, ...]}` (scalars, score vectors, or objects read through
 *   `fields.prediction` / `fields.scores`)
 * - v2 request  `{"inputs": [{"name", "shape", "datatype", "data"}, ...]}`
 * - v2 response `{"model_name", "model_version", "outputs": [...]}`
 * - any response with an `error` key is a failed request.
 */
import type { FormatConfig } from '../../config/schema.js';
import { featuresFromArray, featuresFromObject, featureName, type FeatureRow } from '../features.js';
import type { Mapped } from '../map-outcome.js';
import { outputFromValue, type OutputGetters, type RowOutput } from '../outputs.js';
import { isPlainObject, toErrorReason, toFeatureValue, toText } from '../values.js';
import { outputsFromV2, rowsFromV2Inputs } from './v2-tensors.js';

export interface ResponseBody {
  /** Absent when the request failed. */
  outputs?: RowOutput[];
  status?: number;
  error?: string;
  model?: string;
  version?: string;
}

export function isV2Inputs(inputs: unknown): boolean {
  return Array.isArray(inputs) && inputs.length > 0 && isPlainObject(inputs[0]) && 'shape' in inputs[0];
}

export function rowsFromRequestBody(body: unknown, format: FormatConfig): Mapped<FeatureRow[]> {
  if (!isPlainObject(body)) return 'bad_body';
  if (isV2Inputs(body.inputs)) return rowsFromV2Inputs(body.inputs, format);
  const instances = body.instances ?? body.inputs;
  if (!Array.isArray(instances)) return 'missing_features';
  return rowsFromInstances(instances, format.feature_names);
}

export function rowsFromInstances(instances: readonly unknown[], names: readonly string[] | undefined): FeatureRow[] {
  return instances.map((instance) => {
    if (Array.isArray(instance)) return featuresFromArray(instance, names);
    if (isPlainObject(instance)) return featuresFromObject(instance);
    const v = toFeatureValue(instance);
    return v === undefined ? {} : { [featureName(names, 0)]: v };
  });
}

export function responseFromBody(body: unknown, format: FormatConfig, getters: OutputGetters): Mapped<ResponseBody> {
  if (!isPlainObject(body)) return 'bad_body';
  const model = toText(body.model_name);
  const version = toText(body.model_version);
  const error = toErrorReason(body.error);
  if (error !== undefined) return { error, model, version };
  let outputs: Mapped<RowOutput[]>;
  if (Array.isArray(body.predictions)) outputs = body.predictions.map((p) => outputFromValue(p, getters));
  else if (body.outputs !== undefined) outputs = outputsFromV2(body.outputs, format);
  else return 'bad_body';
  if (typeof outputs === 'string') return outputs;
  return { outputs, status: 200, model, version };
}
