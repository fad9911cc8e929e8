/**
 * Loads the reference: a saved profile (JSON with `schema_version`), or training data (CSV, JSONL, Parquet)
 * profiled once at startup. Errors name the file and what was wrong.
 */
import { readFileSync } from 'node:fs';
import type { Table } from '../tables/column.js';
import { formatOf, parseTable } from '../tables/read-table.js';
import type { Config } from '../config/schema.js';
import { buildProfile, PROFILE_SCHEMA_VERSION, type ProfileOptions, type RawValue, type ReferenceProfile } from './reference-profile.js';

export class ReferenceError extends Error {}

export function tableColumns(table: Table): Map<string, RawValue[]> {
  const columns = new Map<string, RawValue[]>();
  for (const c of table.columns) {
    if (c.kind === 'numeric') columns.set(c.name, Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)));
    else columns.set(c.name, Array.from(c.codes, (code) => (code < 0 ? null : c.dictionary[code])));
  }
  return columns;
}

function asProfile(text: string, path: string): ReferenceProfile | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('schema_version' in parsed)) return undefined;
  const p = parsed as ReferenceProfile;
  if (p.schema_version !== PROFILE_SCHEMA_VERSION) {
    throw new ReferenceError(`${path}: profile schema_version ${String(p.schema_version)} is not supported (expected ${PROFILE_SCHEMA_VERSION})`);
  }
  return p;
}

/** Stages of a long load, for a progress display: reading, parsing, then one call per profiled column. */
export type ReferenceProgress = (stage: 'reading' | 'parsing' | 'profiling', done: number, total: number, detail?: string) => void;

type ReferenceConfig = Pick<Config, 'drift' | 'features' | 'reference'> & { quality?: Pick<Config['quality'], 'score_column' | 'score_columns'> };

/** The training file's label, prediction and score columns, for the model's reference quality. */
export interface ReferenceColumns {
  labels: RawValue[];
  predictions: RawValue[];
  /** Present when quality.score_column names a column of the file. */
  scores?: RawValue[];
  /** Multiclass: one column per class (quality.score_columns, in quality.classes order). */
  classScores?: RawValue[][];
}

/** Undefined unless both label_column and prediction_column are set; an error when the file lacks one. */
function qualityColumns(path: string, columns: Map<string, RawValue[]>, config: ReferenceConfig): ReferenceColumns | undefined {
  const { label_column: label, prediction_column: prediction } = config.reference;
  if (!label || !prediction) return undefined;
  const labels = columns.get(label);
  const predictions = columns.get(prediction);
  if (!labels || !predictions) {
    throw new ReferenceError(`${path}: no column "${labels ? prediction : label}" (reference.${labels ? 'prediction' : 'label'}_column)`);
  }
  const scoreColumn = config.quality?.score_column;
  const scores = scoreColumn ? columns.get(scoreColumn) : undefined;
  if (scoreColumn && !scores) throw new ReferenceError(`${path}: no column "${scoreColumn}" (quality.score_column)`);
  const classScores = config.quality?.score_columns?.map((name) => {
    const column = columns.get(name);
    if (!column) throw new ReferenceError(`${path}: no column "${name}" (quality.score_columns)`);
    return column;
  });
  return { labels, predictions, scores, classScores };
}

/** What the multivariate model is fitted on: the configured features (all profiled ones by default), when enabled. */
export function reconstructionOptions(config: Pick<Config, 'drift' | 'features'>): ProfileOptions['reconstruction'] {
  const { multivariate } = config.drift;
  return multivariate.enabled ? { explainedVariance: multivariate.explained_variance, features: config.features?.map((f) => f.name) } : undefined;
}

export function loadReference(path: string, config: ReferenceConfig, progress?: ReferenceProgress): ReferenceProfile {
  return readReference(path, config, progress).profile;
}

/** One read and parse of the reference file: its profile and, for training data, its quality columns. */
function readReference(path: string, config: ReferenceConfig, progress?: ReferenceProgress): { profile: ReferenceProfile; columns?: ReferenceColumns } {
  progress?.('reading', 0, 1);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ReferenceError(`cannot read reference ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (path.endsWith('.json')) {
    const profile = asProfile(bytes.toString('utf8'), path);
    if (profile) return { profile };
  }
  const format = formatOf(path);
  if (!format) throw new ReferenceError(`${path}: unknown reference format (use .csv, .jsonl, .parquet, or a profile .json)`);
  let table: Table;
  progress?.('parsing', 0, 1, `${(bytes.length / 1048576).toFixed(1)} MiB`);
  try {
    table = parseTable(format, bytes);
  } catch (err) {
    throw new ReferenceError(`${path}: ${(err as Error).message}`);
  }
  if (table.rowCount === 0) throw new ReferenceError(`${path}: no rows`);
  const types: Record<string, 'numeric' | 'categorical' | undefined> = {};
  for (const f of config.features ?? []) types[f.name] = f.type;
  const columns = tableColumns(table);
  const quality = qualityColumns(path, columns, config);
  // Neither the label nor the score column is an input the logs carry: profiled as features they
  // would read 100 % missing.
  if (config.reference.label_column) columns.delete(config.reference.label_column);
  for (const name of [config.quality?.score_column, ...(config.quality?.score_columns ?? [])]) if (name) columns.delete(name);
  const profile = buildProfile(
    {
      source: path,
      rows: table.rowCount,
      columns,
      types,
      predictionColumn: config.reference.prediction_column,
      onColumn: progress && ((done, total, name) => progress('profiling', done, total, name)),
    },
    { bins: config.drift.bins, maxCategories: config.drift.max_categories, maxSample: config.drift.max_reference_values, reconstruction: reconstructionOptions(config) },
  );
  return { profile, columns: quality };
}

const shared = new WeakMap<object, { profile: ReferenceProfile; columns?: ReferenceColumns } | undefined>();

function sharedReference(config: ReferenceConfig): { profile: ReferenceProfile; columns?: ReferenceColumns } | undefined {
  if (!shared.has(config)) shared.set(config, config.reference.path ? readReference(config.reference.path, config) : undefined);
  return shared.get(config);
}

/**
 * The reference profile of a config's `reference.path`, loaded once per config object: the drift
 * and quality analyzers share one parse of a possibly large training file.
 */
export function referenceOf(config: ReferenceConfig): ReferenceProfile | undefined {
  return sharedReference(config)?.profile;
}

/** The label, prediction and score columns from that same parse (undefined for a profile .json or without both columns configured). */
export function referenceColumnsOf(config: ReferenceConfig): ReferenceColumns | undefined {
  return sharedReference(config)?.columns;
}
