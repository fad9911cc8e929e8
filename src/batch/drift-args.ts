/**
 * Flags of `modelwatch drift`. Pure: argv in, options or a UsageError out. A leading `drift` word is
 * skipped so the CLI can pass its argv through.
 */
import { commandHelp, parseCommand, stringFlag, UsageError, type CommandSpec } from '../core/cli-args.js';
import { DRIFT_METHODS, isMethodName, type DriftMethodName } from '../stats/methods/index.js';

export { UsageError };

export const DRIFT_SPEC: CommandSpec = {
  name: 'drift',
  summary: 'Compare two data files (or request logs read through a config) and report drift per feature.',
  flags: [
    { name: 'reference', value: 'FILE', required: true, help: 'reference data (.csv, .jsonl/.ndjson, .parquet, or a .json array of objects)' },
    { name: 'current', value: 'FILE', required: true, help: 'current data, same formats, or a request log with --config' },
    { name: 'config', value: 'FILE', help: "map JSON-lines inputs through the config's records source (its fields and preset), so the model server's own log can be compared; nested features are flattened either way. Its drift.thresholds and features[].thresholds apply (auto: calibrated to drift.false_alarm_rate at the current file's size)" },
    { name: 'format', value: 'FORMAT', help: 'table, json or html', default: 'table' },
    { name: 'out', value: 'FILE', help: 'write the report to FILE instead of stdout' },
    { name: 'methods', value: 'LIST', help: `comma-separated subset of: ${DRIFT_METHODS.map((m) => m.name).join(', ')}` },
    { name: 'categorical', value: 'LIST', help: 'columns to treat as categorical even when numeric' },
    { name: 'bins', value: 'B', help: 'quantile bins for numeric columns', default: '10' },
    { name: 'fail-on-drift', help: 'exit 1 when the dataset drifted' },
  ],
  footer: 'exit codes: 0 done, 1 dataset drifted with --fail-on-drift, 2 error',
};

export const DRIFT_USAGE = commandHelp(DRIFT_SPEC).trimEnd();

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
  /** Map JSON-lines inputs through this config's records source. */
  config?: string;
  help: boolean;
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function parseDriftArgs(argv: readonly string[]): DriftArgs {
  const parsed = parseCommand(argv[0] === 'drift' ? argv.slice(1) : argv, DRIFT_SPEC);
  const values = new Map<string, string>();
  for (const name of parsed.flags.keys()) {
    const v = stringFlag(parsed, name);
    if (v !== undefined) values.set(name, v);
  }
  const help = parsed.help;
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
    failOnDrift: parsed.flags.has('fail-on-drift'),
    config: values.get('config'),
    help,
  };
}
