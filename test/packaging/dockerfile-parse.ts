/**
 * Just enough of a Dockerfile parser to check the shipped one without a container engine:
 * instructions (continuation lines joined, comments dropped) grouped by build stage, and the
 * .dockerignore patterns that decide what a COPY can see.
 */

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const space = whole.indexOf(' ');
    const keyword = whole.slice(0, space).toUpperCase();
    const args = whole.slice(space + 1).trim();
    if (keyword === 'FROM') {
      const [image, as, name] = args.split(/\s+/);
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    if (stages.length === 0) throw new Error(`${keyword} before the first FROM`);
    stages[stages.length - 1].instructions.push({ keyword, args });
  }
  return stages;
}

export function instructions(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** The JSON (exec) form of an instruction's arguments, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  return JSON.parse(args) as string[];
}

/** The context sources of a COPY without --from (the last argument is the destination). */
export function copySources(args: string): string[] | undefined {
  const words = args.split(/\s+/);
  if (words.some((w) => w.startsWith('--from='))) return undefined;
  return words.filter((w) => !w.startsWith('--')).slice(0, -1);
}

/**
 * Whether .dockerignore excludes a context path. Handles what the shipped file uses: plain paths
 * (which exclude everything below them) and `*.ext`; `!` exceptions re-include.
 */
export function ignoredByDockerignore(patterns: string[], path: string): boolean {
  const clean = path.replace(/^\.\//, '').replace(/\/+$/, '');
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\.?\//, '').replace(/\/+$/, '');
    const matches = pattern.startsWith('*.')
      ? clean.endsWith(pattern.slice(1))
      : clean === pattern || clean.startsWith(`${pattern}/`);
    if (matches) ignored = !negate;
  }
  return ignored;
}

export function dockerignorePatterns(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
