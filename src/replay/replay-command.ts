/**
 * `modelwatch replay --config FILE --out FILE.om [--from] [--to] [--step] [--max-out-of-order]`:
 * history from logs into Prometheus (backfill), and the series the alert rules are backtested on.
 * Exit 0 when written, 2 on a usage, config or input error (named), like every command.
 */
import { ConfigError, loadConfig } from '../config/load.js';
import { UsageError } from '../core/cli-args.js';
import { createLogger, type LevelWithSilent } from '../core/log.js';
import { parseReplayArgs, REPLAY_USAGE } from './replay-args.js';
import { replay, type ReplayProgress } from './replay.js';
import { ReplayInputError } from './source-cursor.js';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const iso = (s: number) => (Number.isFinite(s) ? new Date(s * 1000).toISOString().replace('.000Z', 'Z') : '-');

/** One line redrawn in place on a terminal: records, record time reached, records/s. */
function progressLine(out: NodeJS.WritableStream): (p: ReplayProgress) => void {
  const started = performance.now();
  let drawn = 0;
  return (p) => {
    const now = performance.now();
    if (now - drawn < 100) return;
    drawn = now;
    const rate = ((p.records + p.labels) / Math.max(0.001, (now - started) / 1000)).toFixed(0);
    out.write(`\r\x1b[2Kreplaying: ${p.records} records, ${p.labels} labels · record time ${iso(p.recordTime)} · ${rate} records/s`);
  };
}

export async function runReplayCommand(argv: string[], io: Io): Promise<number> {
  try {
    const args = parseReplayArgs(argv);
    if (args.help) {
      io.stdout.write(`${REPLAY_USAGE}\n`);
      return 0;
    }
    const config = loadConfig(args.config);
    const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
    const started = performance.now();
    const s = await replay(config, createLogger(config.log.level === 'info' ? 'warn' : (config.log.level as LevelWithSilent), process.stderr, 'json'), {
      out: args.out,
      from: args.from,
      to: args.to,
      stepSeconds: args.stepSeconds,
      maxOutOfOrderSeconds: args.maxOutOfOrderSeconds,
      labels: args.labels,
      progress: tty ? progressLine(io.stderr) : undefined,
    });
    if (tty) io.stderr.write('\n');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.stderr.write(
      `replayed ${s.records} records and ${s.labels} labels from ${s.sources} source(s) in ${seconds} s: ` +
        `${s.steps} steps from ${iso(s.firstStep ?? NaN)} to ${iso(s.lastStep ?? NaN)}, ${s.samples} samples → ${args.out}` +
        (s.skipped.out_of_order > 0 ? `; skipped ${s.skipped.out_of_order} records out of order by more than ${args.maxOutOfOrderSeconds} s` : '') +
        `\nload it with: promtool tsdb create-blocks-from openmetrics ${args.out} DATA_DIR\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ReplayInputError) {
      io.stderr.write(`modelwatch replay: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
