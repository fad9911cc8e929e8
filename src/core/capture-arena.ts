/**
 * Memory for the copies a state capture takes (typed windows, packed request ids, the label join
 * store's columns), reused from one checkpoint write to the next instead of allocated anew.
 *
 * Why: a typed array's bytes live outside the V8 heap, and V8 counts such bytes allocated since its
 * last full collection against the old generation's limit. The copies of one capture (8–15 MB at
 * 1,000 records/s) outlive the young generation (the write takes many turns of the event loop), so
 * only a full collection frees them, and they used up the ~9 MB of headroom left by
 * `--heap-growing-percent=10` every time: one full collection per 5 s checkpoint, 12 a minute, on
 * a 16 MB heap (measured with `--trace-gc-verbose`: the external bytes jump at each capture and the
 * marking starts right after; docs/performance.md, "Live round"). Reused, they are allocated once.
 *
 * Lifetime: the snapshotter calls begin() at the start of each capture for the checkpoint and end()
 * once it is taken. begin() reuses the memory of the previous capture, so a state captured in an
 * arena is valid until the next begin(): the checkpoint store writes one state at a time and drops
 * it when written. A snapshot taken outside begin()/end() (tests, batch runs) gets fresh memory.
 */

/** Blocks are at least this large: the many small copies of a capture share one. */
const BLOCK_BYTES = 1 << 20;
/** Every copy starts on a multiple of 8 bytes (a Float64Array's alignment). */
const ALIGN = 8;
/**
 * A copy larger than a block gets a block of its own with this much room to grow: a waiting-label
 * store or time window that grows a little at each capture would otherwise need a new block each time.
 */
const GROWTH = 1.25;

type TypedKind<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number };

export class CaptureArena {
  private blocks: ArrayBuffer[] = [];
  private block = 0;
  private used = 0;

  /** Starts a capture: the memory of the previous one is reused (its state must be written by now). */
  begin(): void {
    this.block = 0;
    this.used = 0;
    setCurrent(this);
  }

  /** Ends the capture: later allocations get fresh memory. */
  end(): void {
    // Blocks this capture did not reach are dropped: the arena follows the state's size.
    this.blocks.length = Math.min(this.blocks.length, this.used > 0 ? this.block + 1 : this.block);
    if (current === this) setCurrent(undefined);
  }

  /** Bytes held between captures. */
  bytes(): number {
    let n = 0;
    for (const b of this.blocks) n += b.byteLength;
    return n;
  }

  /** `length` zeroed elements of `kind` in the arena. */
  array<T>(kind: TypedKind<T>, length: number): T {
    const out = this.uninitialized(kind, length);
    (out as unknown as Uint8Array).fill(0);
    return out;
  }

  /** `length` elements of `kind` in the arena, holding whatever the previous capture left there. */
  uninitialized<T>(kind: TypedKind<T>, length: number): T {
    const bytes = length * kind.BYTES_PER_ELEMENT;
    for (;;) {
      const b = this.blocks[this.block];
      if (b !== undefined && this.used + bytes <= b.byteLength) {
        const at = this.used;
        this.used += Math.ceil(bytes / ALIGN) * ALIGN;
        return new kind(b, at, length);
      }
      if (b !== undefined && this.used > 0) {
        this.block++;
        this.used = 0;
      } else {
        // An empty block too small (the state grew), or none yet: a block that fits, in its place.
        this.blocks[this.block] = new ArrayBuffer(Math.max(BLOCK_BYTES, Math.ceil((bytes * GROWTH) / ALIGN) * ALIGN));
        this.used = 0;
      }
    }
  }
}

/** The arena of the capture in progress, if any. */
let current: CaptureArena | undefined;

function setCurrent(arena: CaptureArena | undefined): void {
  current = arena;
}

/** `length` zeroed elements of `kind` for a snapshot: in the capture arena during a checkpoint's capture, else fresh. */
export function captureArray<T>(kind: TypedKind<T>, length: number): T {
  return current !== undefined ? current.array(kind, length) : new kind(length);
}

/**
 * A copy of `source` for a snapshot: in the capture arena during a checkpoint's capture (not zeroed
 * first: every byte is overwritten; zeroing a capture's ~10 MB was ~2 % of the live main thread's
 * busy time), else fresh.
 */
export function captureCopy(source: Uint8Array): Uint8Array {
  const out = captureFilled(Uint8Array, source.length);
  out.set(source);
  return out;
}

/** captureArray for a caller that writes every element: in the arena, not zeroed first (see captureCopy). */
export function captureFilled<T>(kind: TypedKind<T>, length: number): T {
  return current !== undefined ? current.uninitialized(kind, length) : new kind(length);
}
