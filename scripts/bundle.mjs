// The second step of `npm run build`: bundles tsc's dist/cli.js and everything it imports (zod, yaml,
// prom-client; express and hyparquet in chunks loaded only when the config uses them) into
// dist/bundle/, and points dist/cli.js at it.
//
// Why: Node's module loader resolves, reads and compiles ~200 files and their packages one by one,
// and keeps what it touched resident; one bundle of the same code starts 4-5 MiB smaller
// (docs/performance.md, "The floor"). esbuild comes with tsx, a dev dependency; it runs only here,
// at build time. Plain JavaScript: no tsx start-up cost.
//
//   node scripts/bundle.mjs                      dist/cli.js -> dist/bundle/, dist/cli.js re-exported
//   node scripts/bundle.mjs ENTRY.js OUTDIR      one entry (the benches' children)
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import process from 'node:process';
import { build } from 'esbuild';

/**
 * Bundles one compiled entry into outDir. Every chunk sits two folders below the package root, as
 * tsc's files do (dist/core/version.js reads ../../package.json; the demo forks ../../demo/model-server.js).
 */
export async function bundle(entry, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: [entry],
    outdir: outDir,
    bundle: true,
    // Dynamic imports (the HTTP server, Parquet, the batch commands, the demo) stay separate chunks,
    // loaded only when used.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    // Minified: 2.7 MiB less resident than whitespace-only with names kept (docs/performance.md).
    // Stack traces name minified functions; the linked source maps lead back to src/ (run with
    // NODE_OPTIONS=--enable-source-maps to have Node apply them).
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    // The CommonJS packages (prom-client, pino-pretty, express) call require() for Node's modules.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  });
}

const [entry, outDir] = process.argv.slice(2);
if (entry && outDir) {
  await bundle(entry, outDir);
} else {
  const cli = join('dist', 'cli.js');
  await bundle(cli, join('dist', 'bundle'));
  // dist/cli.js stays the command (package.json bin, the image's ENTRYPOINT): it loads the bundle.
  const shebang = readFileSync(cli, 'utf8').startsWith('#!') ? '#!/usr/bin/env node\n' : '';
  writeFileSync(cli, `${shebang}// The bundled build (scripts/bundle.mjs); tsc's per-file output is beside it.\nimport './bundle/${basename(cli)}';\n`);
}
