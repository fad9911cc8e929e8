/**
 * The capture arena: a checkpoint's typed copies reuse the previous capture's memory (no new
 * external bytes for V8 to count toward a full collection), are zeroed and do not overlap; outside
 * a capture, copies are fresh memory; and the snapshots built with it write the same JSON.
 */
import { describe, expect, it } from 'vitest';
import { CaptureArena, captureArray } from '../../src/core/capture-arena.js';
import { encodeTyped, type TypedCopy } from '../../src/core/typed-codec.js';
import { CountValues } from '../../src/windows/count-values.js';
import { CountWindow } from '../../src/windows/count-window.js';
import { MISSING_BIN } from '../../src/windows/window.js';
import { Mulberry32 } from '../../src/stats/random.js';
import { RecentIds } from '../../src/analyzers/quality/recent-ids.js';

/** One capture of a state made of arrays of these lengths, each filled with its index + 1. */
function capture(arena: CaptureArena, lengths: number[]): (Float64Array | Uint8Array | Int32Array)[] {
  arena.begin();
  try {
    return lengths.map((n, i) => {
      const a = i % 3 === 0 ? captureArray(Float64Array, n) : i % 3 === 1 ? captureArray(Uint8Array, n) : captureArray(Int32Array, n);
      expect(a.every((v) => v === 0)).toBe(true);
      a.fill(i + 1);
      return a;
    });
  } finally {
    arena.end();
  }
}

describe('CaptureArena', () => {
  it('reuses the previous capture’s memory, zeroed, with every copy apart and aligned', () => {
    const arena = new CaptureArena();
    const lengths = [3, 5, 1, 100_000, 7, 300_000, 0, 2];
    const first = capture(arena, lengths);
    first.forEach((a, i) => expect(a.every((v) => v === i + 1)).toBe(true));
    for (const a of first) if (a instanceof Float64Array) expect(a.byteOffset % 8).toBe(0);
    const held = arena.bytes();
    const second = capture(arena, lengths);
    // The same memory, not new: no byte more held, and the first capture's arrays now show the second's values.
    expect(arena.bytes()).toBe(held);
    expect(new Set(second.map((a) => a.buffer)).size).toBeLessThanOrEqual(new Set(first.map((a) => a.buffer)).size);
    second.forEach((a, i) => {
      expect(a.buffer).toBe(first[i].buffer);
      expect(a.every((v) => v === i + 1)).toBe(true);
    });
  });

  it('follows the state’s size: grows for a larger capture, gives back what a smaller one leaves unused', () => {
    const arena = new CaptureArena();
    capture(arena, [400_000, 400_000, 400_000]);
    const large = arena.bytes();
    capture(arena, [10, 10]);
    expect(arena.bytes()).toBeLessThan(large);
    capture(arena, [2_000_000]);
    expect(arena.bytes()).toBeGreaterThanOrEqual(2_000_000 * 8);
  });

  it('gives fresh memory outside a capture, so a snapshot taken apart from a checkpoint is never reused', () => {
    const arena = new CaptureArena();
    capture(arena, [10]);
    const a = captureArray(Float64Array, 10);
    const b = captureArray(Float64Array, 10);
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.buffer.byteLength).toBe(80);
  });

  it('copies exactly into memory a previous capture left written (copies are not zeroed first)', () => {
    const arena = new CaptureArena();
    arena.begin();
    for (const n of [7, 1000, 300_000]) captureArray(Uint8Array, n).fill(0xff);
    arena.end();
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? 0 : Math.cos(i)));
    const ints = Int32Array.from({ length: 77 }, (_, i) => i - 30);
    arena.begin();
    const a = encodeTyped(values);
    const b = encodeTyped(ints);
    const c = captureArray(Float64Array, 5);
    arena.end();
    expect(a.bytes.buffer).toBe(b.bytes.buffer);
    expect(JSON.stringify(a)).toBe(JSON.stringify(Buffer.from(values.buffer).toString('base64')));
    expect(JSON.stringify(b)).toBe(JSON.stringify(Buffer.from(ints.buffer).toString('base64')));
    // captureArray still zeroes.
    expect([...c]).toEqual([0, 0, 0, 0, 0]);
  });

  it('changes no byte of what a snapshot writes', () => {
    const arena = new CaptureArena();
    const values = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e6);
    const plain = JSON.stringify(encodeTyped(values));
    arena.begin();
    const inArena = encodeTyped(values);
    arena.end();
    expect(JSON.stringify(inArena)).toBe(plain);

    const ids = new RecentIds(50);
    const given = Array.from({ length: 80 }, (_, i) => (i % 3 === 0 ? crypto.randomUUID() : `req-${i}`));
    for (const id of given) ids.seen(id);
    arena.begin();
    const saved = ids.snapshot();
    arena.end();
    // The newest 50, oldest first, as strings in the file; restored from the copy or from the file alike.
    expect(JSON.parse(JSON.stringify(saved))).toEqual(given.slice(-50));
    for (const restoredFrom of [saved, JSON.parse(JSON.stringify(saved)) as string[]]) {
      const restored = new RecentIds(50);
      restored.restore(restoredFrom);
      expect(given.slice(-50).every((id) => restored.seen(id))).toBe(true);
      expect(restored.seen(given[0])).toBe(false);
    }
  });
});

describe('count windows captured in the arena', () => {
  /** A count window's saved slots (one bin: a byte a slot): slot k mod N holds push k's value (a missing one NaN, as pushed) and bin (255 where missing). */
  function expectedSlots(pushed: number[], capacity: number) {
    const ring = new Float64Array(capacity);
    const bins = new Uint8Array(capacity);
    pushed.forEach((v, k) => {
      ring[k % capacity] = v;
      bins[k % capacity] = Number.isNaN(v) ? 0xff : 0;
    });
    return { values: encodeTyped(ring).toJSON(), binBytes: encodeTyped(bins).toJSON(), head: pushed.length % capacity, filled: Math.min(pushed.length, capacity) };
  }
  /** Data quality's: the values alone as `ring` (NaN says which are missing). */
  function expectedValueSlots(pushed: number[], capacity: number) {
    const { values, head, filled } = expectedSlots(pushed, capacity);
    return { ring: values, head, filled };
  }

  it('writes the slots of drift\'s and data quality\'s count windows, in memory reused from one capture to the next', () => {
    for (const capacity of [1, 5, 64]) {
      for (const pushes of [0, 3, capacity, 3 * capacity + 2]) {
        const rnd = new Mulberry32(capacity * 31 + pushes);
        const drift = new CountWindow(capacity, 1, 'own');
        const quality = new CountValues(capacity);
        const driftPushed: number[] = [];
        const pushed: number[] = [];
        for (let k = 0; k < pushes; k++) {
          const v = rnd.next() < 0.2 ? NaN : rnd.below(1000) - 500;
          drift.push(k, v, Number.isNaN(v) ? MISSING_BIN : 0);
          driftPushed.push(v);
          // Data quality sees another value now and then.
          const q = rnd.next() < 0.2 ? v + 1 : v;
          quality.push(k, q, Number.isNaN(q) ? MISSING_BIN : 0);
          pushed.push(q);
        }
        const arena = new CaptureArena();
        const buffers: ArrayBufferLike[][] = [];
        for (let round = 0; round < 2; round++) {
          arena.begin();
          const d = drift.snapshot();
          const q = quality.snapshot();
          // Saved against drift's window: its extras' slots and values are in the arena too.
          const against = quality.snapshot(drift).againstDrift!;
          arena.end();
          const at = `capacity ${capacity}, ${pushes} pushes`;
          expect(JSON.parse(JSON.stringify(d)), at).toEqual(expectedSlots(driftPushed, capacity));
          expect(JSON.parse(JSON.stringify(q)), at).toEqual(expectedValueSlots(pushed, capacity));
          buffers.push([d.values, d.binBytes, q.ring, against.slots, against.values].map((c) => (c as TypedCopy).bytes.buffer));
        }
        // The second capture's copies lie in the first's memory: none is fresh.
        buffers[1].forEach((b, i) => expect(b).toBe(buffers[0][i]));
      }
    }
  });
});
