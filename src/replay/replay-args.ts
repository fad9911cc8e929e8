/**
 * `modelwatch replay` flags, validated up front: every mistake is a UsageError (exit 2) naming the
 * flag, what it expects and what it got.
 */
import { parseDuration } from '../config/units.js';
import { parseArgs, stringFlag, UsageError } from '../core/cli-args.js';
import { parseTimestamp } from '../records/timestamps.js';

export const REPLAY_USAGE = `usage: modelwatch replay --config FILE --out FILE [--from TIME] [--to TIME] [--step DURATION]
    [--max-out-of-order DURATION] [--labels LIST]

Read the configured file sources from their beginning in record time, through the same pipeline as
\`run\`, and write what /metrics would have served at every step, as OpenMetrics with timestamps for
\`promtool tsdb create-blocks-from openmetrics FILE DATA_DIR\` (backfill, alert backtests).

flags:
  --config FILE                  the sidecar's config; its file sources are replayed (required)
  --out FILE                     where to write the OpenMetrics (required)
  --from TIME                    first step written, RFC 3339 or Unix seconds (default: the first record)
  --to TIME                      last step written; past the logs' end, steps go on over silent logs (default: the step after the last record)
  --step DURATION                record time between two expositions, at least 1s (default: 15s)
  --max-out-of-order DURATION    records older than the newest by more are counted and skipped (default: 30s)
  --labels LIST                  name=value pairs added to every sample, as a scrape adds job, instance, namespace
  -h, --help                     show this help and exit

exit codes: 0 written, 2 error`;

export interface ReplayArgs {
  config: string;
  out: string;
  /** Seconds since the epoch; undefined = from the first record. */
  from?: number;
  to?: number;
  stepSeconds: number;
  /** Records older than the newest by more than this are counted and skipped. */
  maxOutOfOrderSeconds: number;
  /** Target labels added to every sample, as Prometheus adds job and instance at scrape time. */
  labels: Record<string, string>;
  help: boolean;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function labelList(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined) return out;
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const name = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new UsageError(`--labels: expected name=value pairs separated by commas, got "${pair}"`);
    out[name] = pair.slice(eq + 1);
  }
  return out;
}

function time(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = parseTimestamp(text);
  if (t === undefined) throw new UsageError(`--${flag}: expected an RFC 3339 time or Unix seconds, got "${text}"`);
  return t;
}

function seconds(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const s = parseDuration(text);
  if (s === undefined) throw new UsageError(`--${flag}: expected a duration like 15s, 1m, got "${text}"`);
  return s;
}

export function parseReplayArgs(argv: string[]): ReplayArgs {
  const a = parseArgs(argv.map((x) => (x === '-h' ? '--help' : x)), ['config', 'out', 'from', 'to', 'step', 'max-out-of-order', 'labels'], ['help']);
  const help = a.flags.get('help') === true;
  if (help) return { config: '', out: '', stepSeconds: 15, maxOutOfOrderSeconds: 30, labels: {}, help };
  const config = stringFlag(a, 'config');
  const out = stringFlag(a, 'out');
  if (!config || !out) throw new UsageError(`--config and --out are required\n${REPLAY_USAGE}`);
  const from = time('from', stringFlag(a, 'from'));
  const to = time('to', stringFlag(a, 'to'));
  if (from !== undefined && to !== undefined && from >= to) throw new UsageError(`--from must be before --to (got --from ${stringFlag(a, 'from')} --to ${stringFlag(a, 'to')})`);
  const stepSeconds = seconds('step', stringFlag(a, 'step'), 15);
  if (stepSeconds < 1) throw new UsageError(`--step: expected at least 1s, got "${stringFlag(a, 'step')}"`);
  const maxOutOfOrderSeconds = seconds('max-out-of-order', stringFlag(a, 'max-out-of-order'), 30);
  const labels = labelList(stringFlag(a, 'labels'));
  return { config, out, from, to, stepSeconds, maxOutOfOrderSeconds, labels, help };
}
