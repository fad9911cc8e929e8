/**
 * `npm run lint` (after eslint): the import graph of src/ follows the layers in docs/architecture.md.
 * Every relative import counts, type-only and dynamic ones included. Fails (exit 1) on
 *   - an import from a folder to a folder in the same or a higher layer (an upward import),
 *   - any cycle between files (a cycle inside one folder is still a cycle).
 * The layer table is LAYERS below; docs/architecture.md shows the same table as a diagram.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bottom first: a folder may import only folders listed before it. Root files (main.ts, cli.ts) come last. */
export const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['stats'],
  ['config'],
  ['tables'],
  ['sources'],
  ['records'],
  ['windows'],
  ['metrics'],
  ['analyzers'],
  ['exposition', 'collectors'],
  ['http'],
  ['pipeline'],
  ['(root)'],
  ['batch', 'replay'],
  ['demo'],
  ['(cli)'],
];

const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

export interface LayerViolation {
  kind: 'upward' | 'unknown-folder' | 'cycle';
  message: string;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = normalize(join(dirname(from), spec));
  for (const c of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) if (existsSync(c) && c.endsWith('.ts')) return c;
  return undefined;
}

/** The layer unit of a file: its top folder under src/, `(cli)` for cli.ts, `(root)` for other root files. */
function unitOf(root: string, file: string): string {
  const parts = relative(root, file).split(sep);
  if (parts.length > 1) return parts[0];
  return parts[0] === 'cli.ts' ? '(cli)' : '(root)';
}

/** Strongly connected components with more than one file (Tarjan), each sorted. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

export function checkLayers(root: string, layers: readonly (readonly string[])[] = LAYERS): LayerViolation[] {
  const rank = new Map<string, number>();
  layers.forEach((units, i) => units.forEach((u) => rank.set(u, i)));
  const violations: LayerViolation[] = [];
  const graph = new Map<string, Set<string>>();
  for (const file of tsFiles(root)) {
    const from = relative(root, file);
    const edges = new Set<string>();
    graph.set(from, edges);
    const fromUnit = unitOf(root, file);
    if (!rank.has(fromUnit)) violations.push({ kind: 'unknown-folder', message: `src/${from}: folder "${fromUnit}" is in no layer of scripts/check-layers.ts (add it, and to docs/architecture.md)` });
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolveImport(file, m[1]);
      if (!target) continue;
      edges.add(relative(root, target));
      const toUnit = unitOf(root, target);
      if (toUnit === fromUnit || !rank.has(fromUnit) || !rank.has(toUnit)) continue;
      if (rank.get(toUnit)! >= rank.get(fromUnit)!) {
        violations.push({ kind: 'upward', message: `src/${from} imports src/${relative(root, target)}: ${fromUnit} may import only layers below it, and ${toUnit} is not below` });
      }
    }
  }
  for (const c of cycles(graph)) violations.push({ kind: 'cycle', message: `import cycle: ${c.map((f) => `src/${f}`).join(' → ')}` });
  return violations;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const violations = checkLayers(root);
  for (const v of violations) console.error(`layers: ${v.message}`);
  if (violations.length > 0) {
    console.error(`\n${violations.length} layering violation(s); see docs/architecture.md for what each folder may import.`);
    process.exit(1);
  }
  console.log(`layers: ${tsFiles(root).length} files, no upward import, no cycle`);
}
