/**
 * The README never lies about configuration: its modelwatch config examples are valid configs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The first ```yaml block after a heading. */
function yamlAfter(heading: string): string {
  const section = README.split(heading)[1];
  if (section === undefined) throw new Error(`README has no "${heading}" section`);
  return section.split('```yaml')[1].split('```')[0];
}

describe('README config examples', () => {
  it('the generic JSON-lines example is a valid config', () => {
    const cfg = parseConfigText(yamlAfter('### A JSON-lines log'), 'README.md', {});
    expect(cfg.sources[0]).toMatchObject({ type: 'file', format: { preset: 'generic' } });
    expect(cfg.checkpoint.path).toBeDefined();
  });

  it('the Triton / MLServer and delayed-label examples are valid configs', () => {
    expect(parseConfigText(yamlAfter('### Triton / MLServer'), 'README.md', {}).sources[0].format.preset).toBe('open-inference-v2');
    expect(parseConfigText(yamlAfter('### Delayed labels'), 'README.md', {}).sources[0].role).toBe('labels');
  });
});
