import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { stdinMapping } from '../../src/pipeline/stdin-mapping.js';

const file = (name: string, fields: Record<string, string>, role = 'records') => ({ type: 'file', name, role, paths: ['/x'], format: { fields } });

describe('stdinMapping: the mapping --stdin reads with', () => {
  it("is the first records source's, naming it and any records source that maps differently", () => {
    const config = configSchema.parse({
      sources: [file('labels', { label: 'y' }, 'labels'), file('a', { features: 'input' }), file('b', { features: 'input' }), file('c', { features: 'x' })],
    });
    const m = stdinMapping(config);
    expect(m).not.toBe('configured');
    if (m === 'configured') return;
    expect(m.from).toBe('sources[1] (file "a")');
    expect(m.format.fields.features).toBe('input');
    expect(m.differing).toEqual(['sources[3] (file "c")']);
  });

  it('is ingest.format without a records source, and nothing when stdin is already a source', () => {
    expect(stdinMapping(configSchema.parse({}))).toMatchObject({ from: 'ingest.format', differing: [] });
    expect(stdinMapping(configSchema.parse({ sources: [{ type: 'stdin' }] }))).toBe('configured');
  });
});
