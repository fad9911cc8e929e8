/**
 * Open Inference Protocol (KServe v2) tensors → feature rows and row outputs. Shared by the KServe
 * and Open Inference v2 presets.
 *
 * A tensor is `{"name", "shape", "datatype", "data"}`; `data` is row-major, flat or nested. The
 * first dimension is the batch: a `[N, K]` input is N rows of K features.
 *
 * Features come from the `input_tensor` (default: the first), its K columns named by
 * `feature_names` or `f0..f{K-1}`. When no tensor is named and every input holds one value per row
 * (MLServer's pandas codec: one tensor per column), each tensor is one feature named after it.
 *
 * The prediction comes from the `output_tensor` (default: the first): one value per row is the
 * prediction; K > 1 values per row are scores and the prediction is their argmax. Scores may also
 * come from another output named like `fields.scores`, or whose name says proba/prob/score.
 */
import type { FormatConfig } from '../../config/schema.js';
import { featureName, type FeatureRow } from '../features.js';
import type { Mapped } from '../map-outcome.js';
import type { RowOutput } from '../outputs.js';
import { argmax, isPlainObject, toFeatureValue, toPrediction, toScores } from '../values.js';

export interface Tensor {
  name: string;
  datatype: string;
  rows: number;
  /** Values per row: the product of the dimensions after the first. */
  width: number;
  /** Row-major, flattened. */
  data: unknown[];
}

const MAX_RANK = 16;

export function readTensor(value: unknown): Tensor | undefined {
  if (!isPlainObject(value) || typeof value.name !== 'string' || !Array.isArray(value.shape)) return undefined;
  const shape = value.shape;
  if (shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) return undefined;
  const dims = shape as number[];
  const size = dims.reduce((a, b) => a * b, 1);
  const data: unknown[] = [];
  if (!flattenInto(value.data, data, dims.length, size)) return undefined;
  if (data.length !== size) return undefined;
  const rows = dims.length === 0 ? 1 : dims[0];
  return {
    name: value.name,
    datatype: typeof value.datatype === 'string' ? value.datatype : '',
    rows,
    width: rows === 0 ? 0 : size / rows,
    data,
  };
}

/** Nested no deeper than the rank, and never more values than the shape holds. */
function flattenInto(value: unknown, out: unknown[], depthLeft: number, limit: number): boolean {
  if (!Array.isArray(value)) {
    if (out.length >= limit) return false;
    out.push(value);
    return true;
  }
  if (depthLeft === 0) return false;
  for (const item of value) if (!flattenInto(item, out, depthLeft - 1, limit)) return false;
  return true;
}

export function rowsFromV2Inputs(inputs: unknown, format: FormatConfig): Mapped<FeatureRow[]> {
  if (!Array.isArray(inputs) || inputs.length === 0) return 'missing_features';
  const tensors: Tensor[] = [];
  for (const input of inputs) {
    const tensor = readTensor(input);
    if (tensor === undefined) return 'bad_tensor';
    tensors.push(tensor);
  }
  if (format.input_tensor !== undefined) {
    const named = tensors.find((t) => t.name === format.input_tensor);
    return named === undefined ? 'bad_tensor' : rowsFromMatrix(named, format.feature_names);
  }
  const first = tensors[0];
  const columnPerTensor = tensors.length > 1 && tensors.every((t) => t.width === 1 && t.rows === first.rows);
  return columnPerTensor ? rowsFromColumns(tensors) : rowsFromMatrix(first, format.feature_names);
}

function rowsFromMatrix(tensor: Tensor, names: readonly string[] | undefined): FeatureRow[] {
  const rows: FeatureRow[] = new Array(tensor.rows);
  for (let r = 0; r < tensor.rows; r++) {
    const row: FeatureRow = {};
    for (let c = 0; c < tensor.width; c++) {
      const v = toFeatureValue(tensor.data[r * tensor.width + c]);
      if (v !== undefined) row[featureName(names, c)] = v;
    }
    rows[r] = row;
  }
  return rows;
}

function rowsFromColumns(tensors: readonly Tensor[]): FeatureRow[] {
  const rows: FeatureRow[] = new Array(tensors[0].rows);
  for (let r = 0; r < rows.length; r++) {
    const row: FeatureRow = {};
    for (const t of tensors) {
      const v = toFeatureValue(t.data[r]);
      if (v !== undefined && t.name !== '__proto__') row[t.name] = v;
    }
    rows[r] = row;
  }
  return rows;
}

const SCORE_NAME = /proba|prob|score/i;

export function outputsFromV2(outputs: unknown, format: FormatConfig): Mapped<RowOutput[]> {
  if (!Array.isArray(outputs) || outputs.length === 0) return 'bad_body';
  const tensors: Tensor[] = [];
  for (const output of outputs) {
    const tensor = readTensor(output);
    if (tensor === undefined) return 'bad_tensor';
    tensors.push(tensor);
  }
  const predicted =
    format.output_tensor === undefined ? tensors[0] : tensors.find((t) => t.name === format.output_tensor);
  if (predicted === undefined) return 'bad_tensor';
  const scored = tensors.find(
    (t) => t !== predicted && t.rows === predicted.rows && (t.name === format.fields.scores || SCORE_NAME.test(t.name)),
  );
  const rows: RowOutput[] = new Array(predicted.rows);
  for (let r = 0; r < predicted.rows; r++) {
    const output = rowOutput(predicted, r);
    if (scored !== undefined) {
      const scores = toScores(rowSlice(scored, r));
      if (scores !== undefined) output.scores = scores;
    }
    rows[r] = output;
  }
  return rows;
}

function rowOutput(tensor: Tensor, r: number): RowOutput {
  if (tensor.width === 1) {
    const prediction = toPrediction(tensor.data[r]);
    return prediction === undefined ? {} : { prediction };
  }
  const scores = toScores(rowSlice(tensor, r));
  return scores === undefined ? {} : { scores, prediction: argmax(scores) };
}

function rowSlice(tensor: Tensor, r: number): unknown[] {
  return tensor.data.slice(r * tensor.width, (r + 1) * tensor.width);
}
