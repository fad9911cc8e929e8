import { describe, expect, it } from 'vitest';
import { levenshtein, suggestKey } from '../../src/config/did-you-mean.js';

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('listen', 'listen')).toBe(0);
    expect(levenshtein('lisen', 'listen')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
  });
});

describe('suggestKey', () => {
  const pairing = ['ttl', 'max_pending'];

  it('suggests within two edits', () => {
    expect(suggestKey('lisen', ['listen', 'web_config_file'])).toBe('listen');
    expect(suggestKey('tl', pairing)).toBe('ttl');
    expect(suggestKey('TTL', pairing)).toBe('ttl');
  });

  it('suggests by prefix either way', () => {
    expect(suggestKey('max', pairing)).toBe('max_pending');
    expect(suggestKey('poll_interval_seconds', ['poll_interval', 'paths'])).toBe('poll_interval');
  });

  it('prefers the closest edit over a prefix match', () => {
    expect(suggestKey('paths', ['paths_extra', 'path'])).toBe('path');
  });

  it('stays quiet when nothing is close or the key is too short to guess', () => {
    expect(suggestKey('colour', ['server', 'log', 'model'])).toBeUndefined();
    expect(suggestKey('x', ['ttl', 'max_pending'])).toBeUndefined();
    expect(suggestKey('ma', pairing)).toBeUndefined();
    expect(suggestKey('anything', [])).toBeUndefined();
  });
});
