import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { interpolateDocument, interpolateString } from '../../src/config/interpolate.js';

describe('interpolateString', () => {
  const env = { A: 'alpha', EMPTY: '' };

  it('leaves text without references alone, dollars included', () => {
    expect(interpolateString('cost: $5 and $HOME', env)).toEqual({ ok: true, value: 'cost: $5 and $HOME' });
  });

  it('substitutes set variables, several per string', () => {
    expect(interpolateString('${A}/${A}-x', env)).toEqual({ ok: true, value: 'alpha/alpha-x' });
  });

  it('keeps an empty set variable without a default, and replaces it with one', () => {
    expect(interpolateString('[${EMPTY}]', env)).toEqual({ ok: true, value: '[]' });
    expect(interpolateString('[${EMPTY:-d}]', env)).toEqual({ ok: true, value: '[d]' });
  });

  it('allows defaults with colons, dashes and spaces', () => {
    expect(interpolateString('${UNSET:-0.0.0.0:9847 - x}', env)).toEqual({ ok: true, value: '0.0.0.0:9847 - x' });
    expect(interpolateString('${UNSET:-}', env)).toEqual({ ok: true, value: '' });
  });

  it('turns $${ into a literal ${ without looking inside', () => {
    expect(interpolateString('$${A} ${A}', env)).toEqual({ ok: true, value: '${A} alpha' });
  });

  it('fails on unset variables, bad names and unterminated references', () => {
    expect(interpolateString('${UNSET}', env)).toEqual({
      ok: false,
      message: 'environment variable UNSET is not set (write ${UNSET:-default} to give a default)',
    });
    expect(interpolateString('${A-b}', env).ok).toBe(false);
    expect(interpolateString('${}', env).ok).toBe(false);
    expect(interpolateString('${A', env).ok).toBe(false);
  });
});

describe('interpolateDocument', () => {
  it('rewrites value scalars only and records where failures are', () => {
    const doc = parseDocument('${K}: ${A}\nlist: [x, "${MISSING}"]\n');
    const failures = interpolateDocument(doc, { A: 'alpha', K: 'key' });
    expect(failures.map((f) => ({ path: f.path, message: f.message }))).toEqual([
      { path: ['list', 1], message: 'environment variable MISSING is not set (write ${MISSING:-default} to give a default)' },
    ]);
    expect(doc.toJS()).toEqual({ '${K}': 'alpha', list: ['x', '${MISSING}'] });
  });

  it('retypes plain scalars but not quoted or block ones', () => {
    const doc = parseDocument('a: ${N}\nb: "${N}"\nc: ${T}\nd: |\n  ${N}\ne: ${S}\n');
    expect(interpolateDocument(doc, { N: '42', T: 'true', S: 'a: b' })).toEqual([]);
    expect(doc.toJS()).toEqual({ a: 42, b: '42', c: true, d: '42\n', e: 'a: b' });
  });
});
