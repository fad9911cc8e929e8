/**
 * The rule that decides when a PENDING_METRICS entry stops being excused: a metric counts as
 * implemented only when a file reachable from the entry point through imports spells its name.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isImplemented, reachableSources } from './implemented-metrics.js';

describe('implemented metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-reach-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('follows static, re-export and dynamic imports, and ignores files nothing imports', () => {
    writeFileSync(join(dir, 'main.ts'), "import { a } from './a.js';\nexport * from './b.js';\nconst c = () => import('./c.js');\n");
    writeFileSync(join(dir, 'a.ts'), "export const a = new Gauge({ name: 'modelwatch_a_ratio' });\n");
    writeFileSync(join(dir, 'b.ts'), 'export const b = "modelwatch_b_total";\n');
    writeFileSync(join(dir, 'c.ts'), 'export const c = `modelwatch_c_seconds`;\n');
    writeFileSync(join(dir, 'orphan.ts'), "registerSnapshot(r, 'modelwatch_orphan_bytes', …);\n");
    const sources = reachableSources(join(dir, 'main.ts'));
    expect([...sources.keys()].map((p) => p.slice(dir.length + 1)).sort()).toEqual(['a.ts', 'b.ts', 'c.ts', 'main.ts']);
    expect(['modelwatch_a_ratio', 'modelwatch_b_total', 'modelwatch_c_seconds'].every((m) => isImplemented(m, sources))).toBe(true);
    expect(isImplemented('modelwatch_orphan_bytes', sources)).toBe(false);
    // A prefix of a real name is not that name.
    expect(isImplemented('modelwatch_b', sources)).toBe(false);
  });

  it('finds the traffic metrics in the real sidecar', () => {
    const sources = reachableSources();
    expect(isImplemented('modelwatch_requests_total', sources)).toBe(true);
    expect(isImplemented('modelwatch_no_such_metric', sources)).toBe(false);
  });
});
