/**
 * The reference, read once per config for the quality analyzers: the profile (per-feature ranges
 * and categories, for data quality) and, when the file is training data, its label, prediction
 * and score columns (for the model's reference quality and CBPE calibration). Both are memoized
 * per config object, so the drift, data-quality and model-quality analyzers share one parse.
 */
import { readFileSync } from 'node:fs';
import { formatOf, parseTable } from '../../tables/read-table.js';
import type { Config } from '../../config/schema.js';
import { windowSpecs } from '../drift.js';
import type { WindowSpec } from '../../windows/feature-drift.js';
import { referenceOf, ReferenceError, tableColumns } from '../../windows/reference-loader.js';
import type { RawValue, ReferenceProfile } from '../../windows/reference-profile.js';

const columnSets = new WeakMap<Config, ReferenceColumns | undefined>();

export function referenceProfile(config: Config): ReferenceProfile | undefined {
  return referenceOf(config);
}

export interface ReferenceColumns {
  labels: RawValue[];
  predictions: RawValue[];
  /** Present when quality.score_column names a column of the file. */
  scores?: RawValue[];
}

/** Undefined without a training file holding both the label and the prediction column. */
export function referenceColumns(config: Config): ReferenceColumns | undefined {
  if (columnSets.has(config)) return columnSets.get(config);
  const result = readColumns(config);
  columnSets.set(config, result);
  return result;
}

function readColumns(config: Config): ReferenceColumns | undefined {
  const { path, label_column: label, prediction_column: prediction } = config.reference;
  if (!path || !label || !prediction) return undefined;
  const format = formatOf(path);
  if (!format) return undefined;
  let columns: Map<string, RawValue[]>;
  try {
    const bytes = readFileSync(path);
    columns = tableColumns(parseTable(format, bytes));
  } catch (err) {
    throw new ReferenceError(`${path}: ${(err as Error).message}`);
  }
  const labels = columns.get(label);
  const predictions = columns.get(prediction);
  if (!labels || !predictions) {
    throw new ReferenceError(`${path}: no column "${labels ? prediction : label}" (reference.${labels ? 'prediction' : 'label'}_column)`);
  }
  const scoreColumn = config.quality.score_column;
  const scores = scoreColumn ? columns.get(scoreColumn) : undefined;
  if (scoreColumn && !scores) throw new ReferenceError(`${path}: no column "${scoreColumn}" (quality.score_column)`);
  return { labels, predictions, scores };
}

/** quality.windows, else drift.windows, as window specs. */
export function qualityWindowSpecs(config: Config): WindowSpec[] {
  return windowSpecs({ ...config.drift, windows: config.quality.windows ?? config.drift.windows });
}
