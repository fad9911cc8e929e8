import { describe, expect, it } from 'vitest';
import { bearerMatches, decodeBody } from '../../src/sources/http-ingest.js';

describe('ingest body decoding', () => {
  it('reads NDJSON, skipping blank lines, and names malformed lines by number', () => {
    const { values, errors } = decodeBody('{"a":1}\n\n{bad\n{"a":2}\r\n');
    expect(values).toEqual([{ a: 1 }, { a: 2 }]);
    expect(errors).toEqual([{ line: 3, reason: 'invalid_json' }]);
  });
  it('reads a JSON array', () => {
    expect(decodeBody(' [{"a":1},{"a":2}]').values).toHaveLength(2);
  });
});

describe('bearer token', () => {
  it('accepts only the exact token', () => {
    expect(bearerMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerMatches('Bearer s3cret2', 's3cret')).toBe(false);
    expect(bearerMatches('Basic s3cret', 's3cret')).toBe(false);
    expect(bearerMatches(undefined, 's3cret')).toBe(false);
    expect(bearerMatches('Bearer ', 's3cret')).toBe(false);
  });
});
