import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { detached } from '../../src/core/detached.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** A distinct, flat 200 KB string per call (a log line stand-in, larger so retention shows). */
function parent(i: number): string {
  return JSON.parse(JSON.stringify(`${i}:`.padEnd(200_000, String.fromCharCode(97 + (i % 26))))) as string;
}

describe('detached', () => {
  it('copies an id cut from a long line, so the line can be collected', () => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept: string[] = [];
    for (let i = 0; i < 200; i++) kept.push(detached(parent(i).slice(10, 46)));
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // 200 parents are 40 MB; 200 detached 36-character ids are a few kilobytes.
    expect(grown).toBeLessThan(2_000_000);
    expect(kept[3]).toBe(parent(3).slice(10, 46));
  });

  it('returns short strings as they are', () => {
    expect(detached('abc')).toBe('abc');
  });
});
