/**
 * Flags of `modelwatch drift`. Pure: argv in, options or a UsageError out. Accepts `--flag value`
 * and `--flag=value`; a leading `drift` word is skipped so the CLI can pass its argv through.
 */
import { DRIFT_METHODS, isMethodName, type DriftMethodName } from '../stats/methods/index.js';

export const DRIFT_USAGE = `usage: modelwatch drift --reference REF --current CUR [options]

  --reference FILE     reference data (.csv, .jsonl/.ndjson, .parquet, or a .json array of objects)
  --current FILE       current data, same formats
  --format FORMAT      table (default), json or html
  --out FILE           write the report to FILE instead of stdout
  --methods LIST       comma-separated subset of: ${DRIFT_METHODS.map((m) => m.name).join(', ')}
  --categorical LIST   columns to treat as categorical even when numeric
  --bins B             quantile bins for numeric columns (default 10)
  --fail-on-drift      exit 1 when the dataset drifted
  --help               this text

exit codes: 0 done, 1 dataset drifted with --fail-on-drift, 2 error`;

export type ReportFormat = 'table' | 'json' | 'html';

export interface DriftArgs {
  reference: string;
  current: string;
  format: ReportFormat;
  out?: string;
  methods?: DriftMethodName[];
  categorical: string[];
  bins: number;
  failOnDrift: boolean;
  help: boolean;
}

export class UsageError extends Error {}

const VALUE_FLAGS = new Set(['reference', 'current', 'format', 'out', 'methods', 'categorical', 'bins']);
const BOOLEAN_FLAGS = new Set(['fail-on-drift', 'help']);

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function parseDriftArgs(argv: readonly string[]): DriftArgs {
  const args = argv[0] === 'drift' ? argv.slice(1) : [...argv];
  const values = new Map<string, string>();
  const booleans = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      booleans.add(name);
    } else if (VALUE_FLAGS.has(name)) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown flag --${name}`);
    }
  }
  const help = booleans.has('help');
  const reference = values.get('reference');
  const current = values.get('current');
  if (!help && (reference === undefined || current === undefined)) {
    throw new UsageError('--reference and --current are required');
  }
  const format = values.get('format') ?? 'table';
  if (format !== 'table' && format !== 'json' && format !== 'html') {
    throw new UsageError(`--format must be table, json or html, not ${JSON.stringify(format)}`);
  }
  const binsText = values.get('bins') ?? '10';
  const bins = Number(binsText);
  if (!/^\d+$/.test(binsText) || bins < 2 || bins > 1000) throw new UsageError(`--bins must be an integer from 2 to 1000, not ${JSON.stringify(binsText)}`);
  let methods: DriftMethodName[] | undefined;
  const methodsText = values.get('methods');
  if (methodsText !== undefined) {
    const names = list(methodsText);
    const unknown = names.filter((n) => !isMethodName(n));
    if (unknown.length > 0) throw new UsageError(`unknown method ${unknown.join(', ')}; known: ${DRIFT_METHODS.map((m) => m.name).join(', ')}`);
    if (names.length === 0) throw new UsageError('--methods needs at least one method');
    methods = names as DriftMethodName[];
  }
  return {
    reference: reference ?? '',
    current: current ?? '',
    format,
    out: values.get('out'),
    methods,
    categorical: list(values.get('categorical') ?? ''),
    bins,
    failOnDrift: booleans.has('fail-on-drift'),
    help,
  };
}
