#!/usr/bin/env node
/**
 * The `modelwatch` command. Exit codes: 0 success, 1 a check failed (e.g. drift with
 * --fail-on-drift), 2 usage or configuration error.
 */
import type { LevelWithSilent } from 'pino';
import { parseArgs, stringFlag, UsageError, type ParsedArgs } from './core/cli-args.js';
import { ConfigError, formatResolvedConfig, loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { runDemo } from './demo/demo.js';
import { WebConfigError } from './http/web-config.js';
import { createLogger } from './core/log.js';
import { ReferenceError } from './windows/reference-loader.js';
import { startModelwatch } from './main.js';
import { VERSION } from './core/version.js';

const HELP = `modelwatch ${VERSION} — ML model-monitoring sidecar for Prometheus

Usage:
  modelwatch run --config FILE [--listen ADDR] [--log-level LEVEL] [--web.config.file FILE] [--one-shot] [--stdin]
  modelwatch check-config FILE
  modelwatch demo [--listen ADDR] [--rate N] [--log-level LEVEL]
  modelwatch profile --data TRAIN --out profile.json [--features a,b] [--categorical c]
  modelwatch drift --reference REF --current CUR [--format table|json|html] [--out FILE] ...
  modelwatch replay --config FILE --out FILE.om [--from TIME] [--to TIME] [--step 15s] [--max-out-of-order 30s]
  modelwatch --help | --version

Commands:
  run           tail the configured sources and serve /metrics
                --one-shot reads every source to its end, prints the final exposition and exits
                --stdin also reads records (JSON lines) from standard input
  check-config  validate a config file and print it resolved (exit 0 valid, 2 invalid)
  demo          run a simulated model server on real data (Auto MPG) and watch it
  profile       build a reference profile (bins, sample, summary stats) from training data
  drift         compare two data files and report drift per feature (see docs/drift-methods.md)
  replay        read the configured logs from their start in record time and write what /metrics would
                have served at every step, as OpenMetrics for promtool tsdb create-blocks-from openmetrics

Flags:
  --listen ADDR      override server.listen (e.g. 127.0.0.1:9847)
  --log-level LEVEL  override log.level (trace, debug, info, warn, error, silent)
  --web.config.file FILE  TLS and basic auth, in Prometheus exporter-toolkit's format
`;

function applyOverrides(config: Config, args: ParsedArgs): Config {
  const listen = stringFlag(args, 'listen');
  const webConfig = stringFlag(args, 'web.config.file');
  const level = stringFlag(args, 'log-level');
  if (level && !['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(level)) {
    throw new UsageError(`--log-level: expected one of trace|debug|info|warn|error|fatal|silent, got "${level}"`);
  }
  return {
    ...config,
    server: { ...config.server, listen: listen ?? config.server.listen, web_config_file: webConfig ?? config.server.web_config_file },
    log: { level: (level as Config['log']['level'] | undefined) ?? config.log.level },
  };
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['config', 'listen', 'log-level', 'web.config.file'], ['one-shot', 'stdin']);
  const file = stringFlag(args, 'config');
  if (!file) throw new UsageError('run needs --config FILE');
  const config = applyOverrides(loadConfig(file), args);
  const logger = createLogger(config.log.level as LevelWithSilent);
  const oneShot = args.flags.has('one-shot');
  const mw = await startModelwatch({ config, logger, oneShot, stdin: args.flags.has('stdin') ? process.stdin : undefined });
  if (oneShot) {
    await mw.drain();
    process.stdout.write(await mw.metrics());
    await mw.stop();
    return 0;
  }
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  await mw.stop();
  // The last word on what this run did: read by operators, and by the soak test to account for
  // every line across restarts.
  const sources = Object.fromEntries([...mw.stats.entries()].map(([name, s]) => [name, { lines: s.lines, records: s.records, labels: s.labels, errors: s.errorCount() }]));
  logger.info({ sources }, 'stopped');
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  return 0;
}

function checkConfig(argv: string[]): number {
  const args = parseArgs(argv, ['config'], []);
  const file = args.positionals[0] ?? stringFlag(args, 'config');
  if (!file) throw new UsageError('check-config needs a FILE');
  const config = loadConfig(file);
  process.stdout.write(formatResolvedConfig(config));
  process.stderr.write(`${file}: valid\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
        process.stdout.write(`modelwatch ${VERSION}\n`);
        return 0;
      case 'run':
        return await run(rest);
      case 'check-config':
        return checkConfig(rest);
      case 'demo': {
        const args = parseArgs(rest, ['listen', 'log-level', 'rate'], []);
        return await runDemo({
          listen: stringFlag(args, 'listen') ?? '127.0.0.1:9847',
          logLevel: (stringFlag(args, 'log-level') ?? 'warn') as LevelWithSilent,
          rate: Number(stringFlag(args, 'rate') ?? 25),
        });
      }
      case 'profile': {
        const { runProfileCommand } = await import('./batch/profile-command.js');
        return await runProfileCommand(rest, { stdout: process.stdout, stderr: process.stderr });
      }
      case 'replay': {
        const { runReplayCommand } = await import('./replay/replay-command.js');
        return await runReplayCommand(rest, { stdout: process.stdout, stderr: process.stderr });
      }
      case 'drift': {
        const { runDriftCommand } = await import('./batch/drift-command.js');
        return await runDriftCommand(rest, { stdout: process.stdout, stderr: process.stderr });
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof WebConfigError || err instanceof ReferenceError) {
      process.stderr.write(`modelwatch: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`modelwatch: ${err.message}\nRun 'modelwatch --help' for usage.\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`modelwatch: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
