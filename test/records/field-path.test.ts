import { describe, expect, it } from 'vitest';
import { compileFieldPath } from '../../src/records/field-path.js';

const doc = {
  a: { b: [10, { c: 'deep' }], 'x.y': 1, 'p/q': 2, 'm~n': 3, '0': 'zero-key' },
  top: 5,
  '': 'empty-key',
};

describe('compileFieldPath', () => {
  it('reads dotted paths, numeric segments indexing arrays', () => {
    expect(compileFieldPath('top')(doc)).toBe(5);
    expect(compileFieldPath('a.b.0')(doc)).toBe(10);
    expect(compileFieldPath('a.b.1.c')(doc)).toBe('deep');
    expect(compileFieldPath('a.0')(doc)).toBe('zero-key');
  });

  it('reads JSON pointers with ~0 and ~1 escapes', () => {
    expect(compileFieldPath('/a/b/1/c')(doc)).toBe('deep');
    expect(compileFieldPath('/a/p~1q')(doc)).toBe(2);
    expect(compileFieldPath('/a/m~0n')(doc)).toBe(3);
    expect(compileFieldPath('/a/x.y')(doc)).toBe(1);
    expect(compileFieldPath('/')(doc)).toBe('empty-key');
  });

  it('gives undefined for absent paths and non-containers on the way', () => {
    expect(compileFieldPath('a.missing.c')(doc)).toBeUndefined();
    expect(compileFieldPath('top.x')(doc)).toBeUndefined();
    expect(compileFieldPath('a.b.5')(doc)).toBeUndefined();
    expect(compileFieldPath('a.b.01')(doc)).toBeUndefined();
    expect(compileFieldPath('a.b.-1')(doc)).toBeUndefined();
    expect(compileFieldPath('a.b.length')(doc)).toBeUndefined();
    expect(compileFieldPath('x')(null)).toBeUndefined();
    expect(compileFieldPath('x')('text')).toBeUndefined();
  });

  it('never reads inherited properties', () => {
    expect(compileFieldPath('constructor')({})).toBeUndefined();
    expect(compileFieldPath('__proto__')({})).toBeUndefined();
    expect(compileFieldPath('a.toString')({ a: {} })).toBeUndefined();
    expect(compileFieldPath('__proto__')(JSON.parse('{"__proto__": 7}'))).toBe(7);
  });

  it('rejects malformed paths when compiled', () => {
    expect(() => compileFieldPath('')).toThrow(/empty/);
    expect(() => compileFieldPath('a..b')).toThrow(/empty segment/);
    expect(() => compileFieldPath('a.')).toThrow(/empty segment/);
    expect(() => compileFieldPath('/a/~2')).toThrow(/~/);
    expect(() => compileFieldPath('/a~')).toThrow(/~/);
  });
});
