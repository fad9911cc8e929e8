/**
 * Command-line flags: `parseCommand` reads a command's argv against its `CommandSpec` (node:util
 * parseArgs, strict) and `commandHelp` prints the same spec, so help and parser cannot disagree.
 * `parseArgs` is the older list-based form. Unknown flags are errors (exit 2), never ignored.
 */
import { parseArgs as nodeParseArgs } from 'node:util';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], valueFlags: readonly string[], booleanFlags: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--') || a === '--') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (valueFlags.includes(name)) {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (booleanFlags.includes(name) && eq < 0) {
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown flag --${name}`);
    }
  }
  return { positionals, flags };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/**
 * One flag of a command, as `--help` shows it and the parser accepts it. Names follow Prometheus'
 * style (`--web.listen-address`, `--log.level`); older spellings stay accepted as aliases.
 */
export interface FlagSpec {
  /** Canonical name without the dashes. */
  name: string;
  /** Placeholder of a value flag (`ADDR`, `FILE`); absent for a switch. */
  value?: string;
  /** The default, as help shows it (the command applies it). */
  default?: string;
  required?: boolean;
  help: string;
  /** Older spellings, still accepted and listed in help. */
  aliases?: readonly string[];
}

export interface CommandSpec {
  name: string;
  /** Positional arguments, as the usage line shows them (`FILE`); none accepted when absent. */
  positionals?: string;
  summary: string;
  flags: readonly FlagSpec[];
  /** Lines after the flag list: exit codes, notes. */
  footer?: string;
}

export interface ParsedCommand extends ParsedArgs {
  /** `-h` or `--help` was given: print commandHelp(spec), exit 0. */
  help: boolean;
}

const HELP_FLAG: FlagSpec = { name: 'help', help: 'show this help and exit' };

/**
 * argv of one command through `node:util` parseArgs (strict): unknown flags, a value flag without its
 * value, a value given to a switch are UsageErrors. Aliases are stored under the canonical name.
 */
export function parseCommand(argv: readonly string[], spec: CommandSpec): ParsedCommand {
  const canonical = new Map<string, FlagSpec>();
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const f of spec.flags) {
    for (const n of [f.name, ...(f.aliases ?? [])]) {
      canonical.set(n, f);
      options[n] = { type: f.value ? 'string' : 'boolean' };
    }
  }
  let parsed;
  try {
    parsed = nodeParseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch (err) {
    throw new UsageError(describeParseError(err, argv));
  }
  const flags = new Map<string, string | true>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option' || t.name === 'help') continue;
    const f = canonical.get(t.name)!;
    flags.set(f.name, f.value ? (t.value ?? '') : true);
  }
  const help = parsed.values.help === true;
  if (!help && spec.positionals === undefined && parsed.positionals.length > 0) {
    throw new UsageError(`${spec.name}: unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  }
  return { positionals: parsed.positionals, flags, help };
}

/** node:util's messages, in our words: `unknown flag --x`, `--x needs a value`. */
function describeParseError(err: unknown, argv: readonly string[]): string {
  const e = err as { code?: string; message?: string };
  const flag = /'(-{1,2}[^' ]+)/.exec(e.message ?? '')?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${flag ?? argv.find((a) => a.startsWith('-')) ?? ''}`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(e.message ?? '')) return `${flag} takes no value`;
    return `${flag} needs a value`;
  }
  return e.message ?? String(err);
}

function flagLabel(f: FlagSpec): string {
  return f.value ? `--${f.name} ${f.value}` : `--${f.name}`;
}

/** `modelwatch run --config FILE [--web.listen-address ADDR] …`: every flag, wrapped at `width`. */
export function commandUsage(spec: CommandSpec, width = 100): string {
  const words = [`modelwatch ${spec.name}`];
  if (spec.positionals) words.push(spec.positionals);
  for (const f of spec.flags) words.push(f.required ? flagLabel(f) : `[${flagLabel(f)}]`);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = `    ${w}`;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** What `modelwatch COMMAND --help` prints: usage, summary, each flag with its default and aliases. */
export function commandHelp(spec: CommandSpec): string {
  const rows = [...spec.flags, HELP_FLAG].map((f) => {
    const names = f === HELP_FLAG ? '-h, --help' : flagLabel(f);
    const notes = [f.required ? 'required' : undefined, f.default !== undefined ? `default: ${f.default}` : undefined];
    if (f.aliases?.length) notes.push(`alias: ${f.aliases.map((a) => `--${a}`).join(', ')}`);
    const extra = notes.filter(Boolean).join('; ');
    return [names, extra ? `${f.help} (${extra})` : f.help] as const;
  });
  const pad = Math.max(...rows.map(([n]) => n.length)) + 2;
  const flagLines = rows.map(([n, h]) => `  ${n.padEnd(pad)}${h}`);
  return [`usage: ${commandUsage(spec)}`, '', spec.summary, '', 'flags:', ...flagLines, ...(spec.footer ? ['', spec.footer] : []), ''].join('\n');
}
