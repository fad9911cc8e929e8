/**
 * Compiles src/ and the bench children to .bench/dist with tsc, so that timings and RSS are those of
 * the shipped JavaScript (`dist/cli.js`), not of tsx's on-the-fly TypeScript loader, which adds a
 * compile worker and about 40 MB of RSS.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The Node flags the container image runs modelwatch with (the Dockerfile's NODE_OPTIONS): benches measure what ships. */
export function shippedNodeFlags(): string[] {
  const options = /^ENV NODE_OPTIONS="([^"]*)"/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1] ?? '';
  return options.split(' ').filter(Boolean);
}

/** Builds once per bench run; returns the path of the compiled `bench/<name>.js` (of `root`, another checkout for a before/after). */
export function compiledBench(name: string, root = ROOT): string {
  return join(root, '.bench', 'dist', 'bench', `${name}.js`);
}

export function buildBench(children: readonly string[], root = ROOT): void {
  const benchDir = join(root, '.bench');
  mkdirSync(benchDir, { recursive: true });
  const config = join(benchDir, 'tsconfig.bench.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: { rootDir: '..', outDir: 'dist', noEmit: false, sourceMap: false, incremental: true, tsBuildInfoFile: 'dist/.tsbuildinfo' },
      include: ['../src', ...children.map((c) => `../bench/${c}.ts`)],
    }),
  );
  // Type errors elsewhere in the tree must not stop a bench: tsc still emits, and the run proves the code.
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { encoding: 'utf8' });
  if (run.error) throw run.error;
}
