#!/usr/bin/env node
/**
 * The `modelwatch` command. Exit codes: 0 success, 1 a check failed (e.g. drift with
 * --fail-on-drift), 2 usage or configuration error.
 */
// First: signal handlers are installed before any other module is evaluated.
import { catchShutdownSignals } from './core/shutdown-signals.js';
import { DRIFT_SPEC } from './batch/drift-args.js';
import { PROFILE_SPEC } from './batch/profile-args.js';
import { commandHelp, commandUsage, parseCommand, stringFlag, UsageError, type CommandSpec, type FlagSpec, type ParsedArgs } from './core/cli-args.js';
import { ConfigError, formatResolvedConfig, loadConfig } from './config/load.js';
import { LOG_FORMATS, LOG_LEVELS, type Config } from './config/schema.js';
import { ListenError } from './http/listen-error.js';
import { WebConfigError } from './http/web-config.js';
import { createLogger, type LevelWithSilent, type LogFormat } from './core/log.js';
import { ReferenceError } from './windows/reference-loader.js';
import { startModelwatch } from './main.js';
import { VERSION } from './core/version.js';

const LOG_FLAGS: readonly FlagSpec[] = [
  { name: 'log.level', value: 'LEVEL', aliases: ['log-level'], help: `lowest level logged: ${LOG_LEVELS.join(', ')}; overrides log.level`, default: 'info' },
  { name: 'log.format', value: 'FORMAT', help: `${LOG_FORMATS.join(', ')}; auto is pretty on a terminal, JSON lines otherwise; overrides log.format`, default: 'auto' },
];

const RUN: CommandSpec = {
  name: 'run',
  summary: 'Tail the configured sources and serve /metrics.',
  flags: [
    { name: 'config', value: 'FILE', required: true, help: 'the config file, see docs/config.md' },
    { name: 'web.listen-address', value: 'ADDR', aliases: ['listen'], help: 'host:port of /metrics, the landing page and ingest; overrides server.listen', default: '0.0.0.0:9847' },
    { name: 'web.config.file', value: 'FILE', help: "TLS and basic auth, in Prometheus exporter-toolkit's format; overrides server.web_config_file" },
    ...LOG_FLAGS,
    { name: 'one-shot', help: 'read every source from its start to its end, print the final exposition on stdout and exit' },
    { name: 'stdin', help: "also read JSON lines from standard input, mapped like the config's stdin or only records source" },
  ],
  footer: 'exit codes: 0 stopped cleanly, 2 usage, config or startup error (e.g. the address is in use)',
};

const CHECK_CONFIG: CommandSpec = {
  name: 'check-config',
  positionals: 'FILE',
  summary: 'Validate a config file, check the reference file and log paths it names, and print it resolved.',
  flags: [{ name: 'config', value: 'FILE', help: 'the config file, instead of FILE' }],
  footer: 'exit codes: 0 valid (warnings on stderr), 2 invalid',
};

const DEMO: CommandSpec = {
  name: 'demo',
  summary: 'Run a simulated model server on real data (Auto MPG) whose traffic drifts, and watch it.',
  flags: [
    { name: 'web.listen-address', value: 'ADDR', aliases: ['listen'], help: 'host:port of /metrics', default: '127.0.0.1:9847' },
    { name: 'rate', value: 'N', help: 'requests per second of the simulated server', default: '25' },
    { ...LOG_FLAGS[0], default: 'error' },
    LOG_FLAGS[1],
  ],
};

/** Every command with a spec, in the order of the top-level help. */
const SPECS: readonly CommandSpec[] = [RUN, CHECK_CONFIG, DEMO, PROFILE_SPEC, DRIFT_SPEC];

const HELP = `modelwatch ${VERSION} — ML model-monitoring sidecar for Prometheus

Usage:
${SPECS.map((c) => `  ${commandUsage(c).replaceAll('\n', '\n  ')}`).join('\n')}
  modelwatch replay --config FILE --out FILE [--from TIME] [--to TIME] [--step DURATION]
      [--max-out-of-order DURATION] [--labels LIST]
  modelwatch --help | --version
  modelwatch COMMAND --help      every flag of COMMAND, with its default

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

Flags are Prometheus-style (--web.listen-address, --web.config.file, --log.level, --log.format);
the older --listen and --log-level still work.
`;

function parseLogLevel(args: ParsedArgs): Config['log']['level'] | undefined {
  const level = stringFlag(args, 'log.level');
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(`--log.level: expected one of ${LOG_LEVELS.join('|')}, got "${level}"`);
  }
  return level as Config['log']['level'] | undefined;
}

function parseLogFormat(args: ParsedArgs): LogFormat | undefined {
  const format = stringFlag(args, 'log.format');
  if (format !== undefined && !(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--log.format: expected one of ${LOG_FORMATS.join('|')}, got "${format}"`);
  }
  return format as LogFormat | undefined;
}

function applyOverrides(config: Config, args: ParsedArgs): Config {
  const listen = stringFlag(args, 'web.listen-address');
  const webConfig = stringFlag(args, 'web.config.file');
  return {
    ...config,
    server: { ...config.server, listen: listen ?? config.server.listen, web_config_file: webConfig ?? config.server.web_config_file },
    log: { level: parseLogLevel(args) ?? config.log.level, format: parseLogFormat(args) ?? config.log.format },
  };
}

/** Parses a command's flags; `--help` prints its help. Returns the flags, or the exit code when done. */
function flagsOf(argv: readonly string[], spec: CommandSpec): ParsedArgs | number {
  const args = parseCommand(argv, spec);
  if (!args.help) return args;
  process.stdout.write(commandHelp(spec));
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const signals = catchShutdownSignals();
  try {
    return await runUntilSignal(argv, signals);
  } finally {
    signals.release();
  }
}

async function runUntilSignal(argv: string[], signals: { requested: Promise<string>; release(): void }): Promise<number> {
  const args = flagsOf(argv, RUN);
  if (typeof args === 'number') return args;
  const file = stringFlag(args, 'config');
  if (!file) throw new UsageError('run needs --config FILE');
  const config = applyOverrides(loadConfig(file), args);
  const logger = createLogger(config.log.level as LevelWithSilent, process.stderr, config.log.format);
  const oneShot = args.flags.has('one-shot');
  // A one-shot run is a batch job: Ctrl-C ends it the default way.
  if (oneShot) signals.release();
  const mw = await startModelwatch({ config, logger, oneShot, stdin: args.flags.has('stdin') ? process.stdin : undefined });
  if (oneShot) {
    await mw.drain();
    process.stdout.write(await mw.metrics());
    await mw.stop();
    return 0;
  }
  // A signal during startup resolved this already: stop at once, cleanly.
  logger.info({ signal: await signals.requested }, 'shutting down');
  await mw.stop();
  // The last word on what this run did: read by operators, and by the soak test to account for
  // every line across restarts.
  const sources = Object.fromEntries([...mw.stats.entries()].map(([name, s]) => [name, { lines: s.lines, records: s.records, labels: s.labels, errors: s.errorCount() }]));
  logger.info({ sources }, 'stopped');
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  return 0;
}

async function checkConfig(argv: string[]): Promise<number> {
  const args = flagsOf(argv, CHECK_CONFIG);
  if (typeof args === 'number') return args;
  const file = args.positionals[0] ?? stringFlag(args, 'config');
  if (!file) throw new UsageError('check-config needs a FILE');
  const config = loadConfig(file);
  process.stdout.write(formatResolvedConfig(config));
  const { checkConfigFiles } = await import('./batch/config-files.js');
  const check = await checkConfigFiles(config);
  for (const line of check.found) process.stderr.write(`found: ${line}\n`);
  for (const line of check.warnings) process.stderr.write(`warning: ${line}\n`);
  for (const line of check.errors) process.stderr.write(`${file}: ${line}\n`);
  if (check.errors.length > 0) return 2;
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
        return await checkConfig(rest);
      case 'demo': {
        const args = flagsOf(rest, DEMO);
        if (typeof args === 'number') return args;
        const rate = Number(stringFlag(args, 'rate') ?? 25);
        if (!(rate > 0)) throw new UsageError(`--rate: expected a positive number, got "${stringFlag(args, 'rate')}"`);
        // Loaded only for the demo: its model server child and data (child_process, os) are not
        // resident in a `run` (docs/performance.md, "The floor").
        const { runDemo } = await import('./demo/demo.js');
        return await runDemo({
          listen: stringFlag(args, 'web.listen-address') ?? '127.0.0.1:9847',
          logLevel: parseLogLevel(args) ?? 'error',
          logFormat: parseLogFormat(args),
          rate,
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
    if (err instanceof WebConfigError || err instanceof ReferenceError || err instanceof ListenError) {
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
