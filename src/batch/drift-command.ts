/**
 * `modelwatch drift`: compares a reference and a current data file column by column and prints a
 * drift report. Wiring only: flags → read both files (logs through --config's mapping) →
 * computeDriftReport (with --config's thresholds, `auto` included) → format → write.
 * Exit codes: 0 done; 1 the dataset drifted and --fail-on-drift was given; 2 any error, with a
 * one-line message on stderr.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DEFAULT_DRIFT_OPTIONS, DriftInputError, computeDriftReport, type DriftOptions, type DriftReport } from './drift-report.js';
import { featureThresholds } from '../config/drift-schema.js';
import { DRIFT_USAGE, UsageError, parseDriftArgs, type DriftArgs } from './drift-args.js';
import { formatHtml } from './format-html.js';
import { formatJson } from './format-json.js';
import { formatTable } from './format-table.js';
import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Table } from '../tables/column.js';
import { formatOf, InputError, readTable } from '../tables/read-table.js';
import { readLogTable } from './log-table.js';

export interface TextSink {
  write(chunk: string): unknown;
}

export interface CommandIo {
  stdout: TextSink;
  stderr: TextSink;
  /** For the HTML header; injected so output is reproducible in tests. */
  now?: () => Date;
}

function render(report: DriftReport, args: DriftArgs, io: CommandIo): string {
  if (args.format === 'json') return formatJson(report);
  if (args.format === 'html') {
    return formatHtml(report, {
      referenceName: basename(args.reference),
      currentName: basename(args.current),
      generatedAt: (io.now?.() ?? new Date()).toISOString(),
    });
  }
  return formatTable(report);
}

export async function runDriftCommand(argv: string[], io: CommandIo): Promise<number> {
  let args: DriftArgs;
  try {
    args = parseDriftArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`modelwatch drift: ${error.message}\n${DRIFT_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(`${DRIFT_USAGE}\n`);
    return 0;
  }
  try {
    const config = args.config === undefined ? undefined : loadConfig(args.config);
    const [reference, current] = await Promise.all([readInput(args.reference, config, io), readInput(args.current, config, io)]);
    const common = new Set(reference.columns.map((c) => c.name).filter((n) => current.columns.some((c) => c.name === n)));
    const absent = args.categorical.filter((name) => !common.has(name));
    if (absent.length > 0 && common.size > 0) {
      throw new UsageError(`--categorical names ${absent.map((n) => JSON.stringify(n)).join(', ')}, not a column of both inputs`);
    }
    const report = computeDriftReport(reference, current, {
      ...DEFAULT_DRIFT_OPTIONS,
      bins: args.bins,
      methods: args.methods,
      categorical: args.categorical,
      ...(config && configThresholds(config)),
    });
    const text = render(report, args, io);
    if (args.out !== undefined) await writeOutput(args.out, text);
    else io.stdout.write(text);
    return report.drifted && args.failOnDrift ? 1 : 0;
  } catch (error) {
    if (error instanceof InputError || error instanceof DriftInputError || error instanceof UsageError || error instanceof OutputError) {
      io.stderr.write(`modelwatch drift: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * The config's thresholds per feature (drift.thresholds under features[].thresholds), its α for
 * `auto`, its category fold and its multivariate settings, so a batch run with the sidecar's config
 * gives the sidecar's verdicts.
 */
function configThresholds(config: Config): Pick<DriftOptions, 'thresholdsOf' | 'falseAlarmRate' | 'minCategoryCount' | 'multivariate' | 'multivariateSettings'> {
  const features = new Map((config.features ?? []).map((f) => [f.name, f]));
  const mv = config.drift.multivariate;
  return {
    multivariate: mv.enabled,
    multivariateSettings: { explainedVariance: mv.explained_variance, threshold: mv.threshold, stdMultiplier: mv.std_multiplier },
    thresholdsOf: (name) => featureThresholds(config.drift, features.get(name)),
    falseAlarmRate: config.drift.false_alarm_rate,
    minCategoryCount: config.drift.min_category_count,
  };
}

/**
 * A data file as a table; with --config, a JSON-lines input (any extension but .csv and .parquet:
 * server logs are often `.log`) is read through the config's mapping, and stderr says how.
 */
async function readInput(path: string, config: Config | undefined, io: CommandIo): Promise<Table> {
  const format = formatOf(path);
  if (config === undefined || format === 'csv' || format === 'parquet') return readTable(path);
  const { table, note } = await readLogTable(path, config);
  io.stderr.write(`${note}\n`);
  return table;
}

class OutputError extends Error {}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new OutputError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
