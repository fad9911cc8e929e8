/**
 * The model's answer for one row: a prediction and, when logged, class scores. Shared by the
 * presets so that every shape of output is read the same way.
 */
import type { FieldGetter } from './field-path.js';
import { argmax, isPlainObject, scoresInClassOrder, toPrediction, toScores } from './values.js';

export interface RowOutput {
  prediction?: number | string | null;
  scores?: number[];
}

export interface OutputGetters {
  prediction: FieldGetter;
  scores: FieldGetter;
}

/** A scores getter that reads an object keyed by class in the configured class order. */
export function classOrderedScores(getter: FieldGetter, classes: readonly string[] | undefined): FieldGetter {
  return classes === undefined ? getter : (value) => scoresInClassOrder(getter(value), classes);
}

/**
 * A scalar is the prediction. An array of two or more numbers is a score vector: the predicted
 * class is its argmax index. An object is read through the configured prediction/scores paths
 * (e.g. `{"prediction": 1, "scores": [0.1, 0.9]}`).
 */
export function outputFromValue(value: unknown, getters: OutputGetters): RowOutput {
  if (Array.isArray(value)) return outputFromVector(value);
  if (isPlainObject(value)) {
    const output: RowOutput = {};
    const rawPrediction = getters.prediction(value);
    const scores = toScores(getters.scores(value));
    if (Array.isArray(rawPrediction)) Object.assign(output, outputFromVector(rawPrediction));
    else {
      const prediction = toPrediction(rawPrediction);
      if (prediction !== undefined) output.prediction = prediction;
    }
    if (scores !== undefined) output.scores = scores;
    return output;
  }
  const prediction = toPrediction(value);
  return prediction === undefined ? {} : { prediction };
}

function outputFromVector(values: readonly unknown[]): RowOutput {
  if (values.length === 1) {
    // `[[1], [0]]`: one value per row, wrapped. Only a scalar is unwrapped, so depth stays bounded.
    const prediction = toPrediction(values[0]);
    return prediction === undefined ? {} : { prediction };
  }
  const scores = toScores(values);
  return scores === undefined ? {} : { scores, prediction: argmax(scores) };
}
