/**
 * Compiles src/ and the bench children to .bench/dist with tsc, so that timings and RSS are those of
 * the shipped JavaScript (`dist/cli.js`), not of tsx's on-the-fly TypeScript loader, which adds a
 * compile worker and about 40 MB of RSS. A checkout whose build bundles (scripts/bundle.mjs) has
 * each child bundled the same way, into .bench/bundle/<child>/: the children run as that checkout
 * ships, so a before/after against a tree without the bundle compares the two builds.
 * BENCH_UNBUNDLED=1 runs tsc's per-file output instead (in every tree of the run): a profile then
 * names functions and their src/ files (the bundle is minified), which bench/profile-table.ts needs
 * to sort time by stage. Not what ships: use it for profiles, not for the numbers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerfileText, imageNode } from '../scripts/image-node.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const UNBUNDLED = process.env.BENCH_UNBUNDLED === '1';

/**
 * The Node binary the measured children run on: BENCH_NODE=<path>, else the image's Node major
 * (benches measure what ships; scripts/image-node.ts installs it from the npm registry when this
 * machine's Node is another major). BENCH_NODE=$(command -v node) measures this machine's Node instead.
 */
export function benchNode(): string {
  if (process.env.BENCH_NODE) return process.env.BENCH_NODE;
  try {
    return imageNode();
  } catch (err) {
    throw new Error(`${(err as Error).message}; or set BENCH_NODE to a Node binary (BENCH_NODE=$(command -v node): this machine's Node ${process.versions.node})`);
  }
}

/** `Node v26.12.1`: the version a binary reports, for the benches' tables. */
export function nodeVersion(binary: string): string {
  return `Node ${spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim()}`;
}

/**
 * The Node flags the container image runs modelwatch with: those between `node` and the script in
 * `root`'s Dockerfile's ENTRYPOINT (and its NODE_OPTIONS, where an older tree set them there):
 * benches measure what ships.
 */
export function shippedNodeFlags(root = ROOT): string[] {
  const text = dockerfileText(root);
  const options = /^ENV NODE_OPTIONS="([^"]*)"/m.exec(text)?.[1] ?? '';
  const entrypoint = /^ENTRYPOINT (\[.*\])\s*$/m.exec(text)?.[1];
  const argv = entrypoint ? (JSON.parse(entrypoint) as string[]) : [];
  const flags = argv[0] === 'node' ? argv.slice(1).filter((a) => a.startsWith('--')) : [];
  return [...options.split(' ').filter(Boolean), ...flags];
}

/** The path of the compiled `bench/<name>.js` (of `root`, another checkout for a before/after): its bundle where that checkout's build bundles. */
export function compiledBench(name: string, root = ROOT): string {
  const bundled = join(root, '.bench', 'bundle', name, `${name}.js`);
  return existsSync(bundled) ? bundled : join(root, '.bench', 'dist', 'bench', `${name}.js`);
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
  const bundler = join(root, 'scripts', 'bundle.mjs');
  for (const child of children) {
    const out = join(benchDir, 'bundle', child);
    if (UNBUNDLED) rmSync(out, { recursive: true, force: true });
    if (UNBUNDLED || !existsSync(bundler)) continue;
    const bundled = spawnSync(process.execPath, [bundler, join(benchDir, 'dist', 'bench', `${child}.js`), out], { cwd: root, encoding: 'utf8' });
    if (bundled.error) throw bundled.error;
    if (bundled.status !== 0) throw new Error(`bundling ${child} failed: ${bundled.stderr}`);
  }
}
