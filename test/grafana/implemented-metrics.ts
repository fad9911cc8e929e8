/**
 * Which metric names the running sidecar can expose: those written in a source file that
 * src/main.ts reaches through its static imports. A metric in a file nothing imports yet (an
 * analyzer not in the list, a collector not wired) is not implemented in this sense, because it can
 * never appear on /metrics.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = resolve(REPO_ROOT, 'src/main.ts');
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Source text of every file reachable from src/main.ts, keyed by absolute path. */
export function reachableSources(entry = ENTRY): Map<string, string> {
  const seen = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      queue.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  }
  return seen;
}

/** Whether `metric` is spelled, as a string literal, in code the sidecar runs. */
export function isImplemented(metric: string, sources: Map<string, string>): boolean {
  const literal = new RegExp(`['"\`]${metric}['"\`]`);
  for (const text of sources.values()) if (literal.test(text)) return true;
  return false;
}
