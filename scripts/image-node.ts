/**
 * The Node the container image runs (the Dockerfile's runtime stage, `FROM node:<major>-slim`), as
 * a binary on this machine: this process's Node when it is that major, else the newest release of
 * that major from the npm registry's node-<platform>-<arch> package, installed once into
 * .bench/node-<major>/. The benches measure with it and CI runs the test suite on it, so what
 * ships is what is measured and tested even where the machine has another Node.
 *
 *   npx tsx scripts/image-node.ts     prints its path (installing it first when needed)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `root`'s Dockerfile: the image the benches measure and CI tests. */
export function dockerfileText(root = ROOT): string {
  return readFileSync(join(root, 'Dockerfile'), 'utf8');
}

/** The Node major of `root`'s Dockerfile's runtime stage (its last `FROM node:<major>…`). */
export function imageNodeMajor(root = ROOT): number {
  const froms = [...dockerfileText(root).matchAll(/^FROM node:(\d+)\S*/gm)];
  if (froms.length === 0) throw new Error(`${join(root, 'Dockerfile')}: no FROM node:<major> line, so the image's Node is unknown`);
  return Number(froms[froms.length - 1][1]);
}

/** The path of a Node binary of the image's major (installed into .bench/node-<major>/ when this one is another). */
export function imageNode(): string {
  const major = imageNodeMajor();
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = join(ROOT, '.bench', `node-${major}`);
  const binary = join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(binary)) return binary;
  console.error(`the image runs Node ${major}, this is Node ${process.versions.node}: installing ${pkg}@${major} into ${prefix}`);
  mkdirSync(prefix, { recursive: true });
  const npm = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${pkg}@${major}`], { stdio: ['ignore', process.stderr, 'inherit'] });
  if (npm.status !== 0 || !existsSync(binary)) {
    throw new Error(`could not install ${pkg}@${major} from the npm registry (npm exit ${npm.status}): put a Node ${major} binary at ${binary}`);
  }
  return binary;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) console.log(imageNode());
