import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLayers } from '../../scripts/check-layers.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mw-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('layering (scripts/check-layers.ts, run by npm run lint)', () => {
  it('src/ has no upward import and no cycle', () => {
    expect(checkLayers(SRC).map((v) => v.message)).toEqual([]);
  });

  it('catches an upward import, type-only included', () => {
    const root = tree({ 'core/a.ts': "import type { B } from '../windows/b.js';\nexport type A = B;\n", 'windows/b.ts': 'export type B = 1;\n' });
    const v = checkLayers(root);
    expect(v).toHaveLength(1);
    expect(v[0].kind).toBe('upward');
    expect(v[0].message).toContain('src/core/a.ts imports src/windows/b.ts');
  });

  it('catches a cycle inside one folder and a folder missing from the layer table', () => {
    const root = tree({
      'records/a.ts': "import type { B } from './b.js';\nexport type A = B;\n",
      'records/b.ts': "import type { A } from './a.js';\nexport type B = A;\n",
      'mystery/c.ts': 'export const c = 1;\n',
    });
    const kinds = checkLayers(root).map((v) => v.kind).sort();
    expect(kinds).toEqual(['cycle', 'unknown-folder']);
  });

  it('catches a dynamic import that goes up', () => {
    const root = tree({ 'sources/a.ts': "export const load = () => import('../http/server.js');\n", 'http/server.ts': 'export {};\n' });
    expect(checkLayers(root).map((v) => v.kind)).toEqual(['upward']);
  });
});
