/**
 * `npx tsx bench/heap-table.ts <file.heapprofile> [rows]`: a sampled heap profile (bench:overhead's
 * BENCH_HEAP_PROFILE, with BENCH_UNBUNDLED=1 so frames name their src/ files) as a table of bytes by
 * allocation site, each site its innermost three frames: where the measured minute allocates, or,
 * with BENCH_HEAP_SURVIVORS=1, what outlived the young generation.
 */
import { readFileSync } from 'node:fs';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/heap-table.ts <file.heapprofile> [rows]');
const head = (JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode }).head;

const frame = (n: HeapNode): string => {
  const { functionName, url, lineNumber } = n.callFrame;
  return `\`${functionName || '(anonymous)'} ${url.replace(/.*\/(?=(src|bench|node_modules)\/)/, '')}:${lineNumber + 1}\``;
};

const bySite = new Map<string, number>();
let total = 0;
const walk = (n: HeapNode, stack: string[]): void => {
  const frames = [...stack, frame(n)];
  if (n.selfSize > 0) {
    total += n.selfSize;
    const site = frames.slice(-3).reverse().join(' ← ');
    bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
  }
  for (const c of n.children) walk(c, frames);
};
walk(head, []);

console.log(`${(total / 1e6).toFixed(2)} MB sampled\n\n| MB | share | site (innermost frame first) |\n|---|---|---|`);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArg ?? 25))) {
  console.log(`| ${(bytes / 1e6).toFixed(2)} | ${((100 * bytes) / total).toFixed(1)} % | ${site} |`);
}
