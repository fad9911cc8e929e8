/**
 * Every command answers --help (exit 0) with every flag it accepts, and docs/cli.md documents exactly
 * those flags; the top-level help lists every flag of every command; old spellings still parse.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const COMMANDS = ['run', 'check-config', 'demo', 'profile', 'drift', 'replay'] as const;

/** The CLI run without waiting on the others: the help runs go in parallel. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `--name` tokens, dotted and dashed names included. */
function flagsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/--[a-z][a-z0-9.-]*[a-z0-9]/g)].map((m) => m[0]));
}

/** The flags in docs/cli.md's section for a command (its table and prose). */
function documentedFlags(command: string): Set<string> {
  const doc = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
  const start = doc.indexOf(`## \`modelwatch ${command}`);
  expect(start, `docs/cli.md has a section for ${command}`).toBeGreaterThan(0);
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  const tableRows = section.split('\n').filter((l) => l.startsWith('| `--'));
  return flagsIn(tableRows.map((l) => l.split(' | ')[0]).join('\n'));
}

type Run = Awaited<ReturnType<typeof cli>>;
let top: Run;
const helps = new Map<string, Run>();

beforeAll(async () => {
  // -h for one command, --help for the others: both spellings reach the same code.
  const runs = await Promise.all([cli(['--help']), ...COMMANDS.map((c, i) => cli([c, i === 0 ? '-h' : '--help']))]);
  top = runs[0];
  COMMANDS.forEach((c, i) => helps.set(c, runs[i + 1]));
}, 60_000);

describe('--help on every command', () => {
  it('each command prints its flags with defaults and exits 0; docs/cli.md lists the same flags', () => {
    expect(top.code).toBe(0);
    const topFlags = flagsIn(top.stdout);
    for (const command of COMMANDS) {
      const help = helps.get(command)!;
      expect(help.code, `${command} --help: ${help.stderr}`).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: modelwatch ${command}`));
      const listed = flagsIn(help.stdout.slice(help.stdout.indexOf('\nflags:')));
      listed.delete('--help');
      expect([...documentedFlags(command)].sort(), `docs/cli.md vs ${command} --help`).toEqual([...listed].sort());
      // The top-level help names every flag of every command (aliases only in the command's own help).
      for (const flag of flagsIn(help.stdout.slice(0, help.stdout.indexOf('\n\n')))) expect(topFlags, `${flag} of ${command} in --help`).toContain(flag);
    }
    for (const flag of ['--prediction-column', '--label-column', '--bins', '--web.listen-address', '--log.format']) expect(topFlags).toContain(flag);
  });

  it('README and docs use only flags that the command accepts', () => {
    const files = ['README.md', ...['cli.md', 'config.md', 'records.md', 'sources.md', 'drift-methods.md'].map((f) => join('docs', f))];
    for (const f of files) {
      for (const line of readFileSync(join(ROOT, f), 'utf8').split('\n')) {
        for (const m of line.matchAll(/modelwatch (run|check-config|demo|profile|drift|replay)\b([^`|\n]*)/g)) {
          for (const flag of flagsIn(m[2])) expect(flagsIn(helps.get(m[1])!.stdout), `${f}: "${m[0]}" uses ${flag}`).toContain(flag);
        }
      }
    }
  });
});
