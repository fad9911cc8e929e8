/**
 * Journals of the checkpoint's journaled parts (core/journaled.ts: the label join store): each part
 * is written to a file of its own next to the checkpoint, whole at first, then only its changes since
 * the previous durable write, appended, until the appended bytes reach the whole's size, when a new
 * file starts whole. The checkpoint names the file and its length in place of the part:
 *   "predictions": {"$journal": ".checkpoint.json.journal-…", "bytes": 4194304}
 *
 * Crash safety, in the order of the writes: the segment is written and fsynced (a new file's
 * directory entry too) before the checkpoint that names it is renamed into place; a checkpoint names
 * only bytes that were durable before it was. A crash after the segment and before the rename leaves
 * the old checkpoint, which names the old length of the same file (bytes past it are never read) or
 * the old file (deleted only after a new whole one is named by a durable checkpoint). A failed write
 * forgets the journals, so the next write starts each whole, in a new file.
 *
 * A new whole file starts when the appended bytes reach what a whole write would be now (at 1,000
 * records/s with a full store, a delta is ~5 % of it: one whole write in ~20), instead of the whole
 * store every 5 s (docs/performance.md, "Checkpoint journal and idle heartbeat").
 *
 * A part that says it is unchanged since its committed write (the warm-up reference profile) is
 * named as its journal stands, nothing written: after a process's first write it costs the
 * checkpoint a name and a length (docs/performance.md, "Checkpoint parts written once").
 */
import { open, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { JsonChunkWriter } from '../core/json-chunk-writer.js';
import { journaledOf, type Journaled } from '../core/journaled.js';

/**
 * Objects nested deeper than this in a state are not searched for journaled parts (a time window's
 * closed sub-buckets sit at depth 9: analyzers, data_quality, models, a model, checks, values, a
 * feature, a window, closed).
 */
const MAX_DEPTH = 12;

interface JournalFile {
  name: string;
  /** Durable length named by the last checkpoint. */
  bytes: number;
  /** Length of the whole segment the file starts with, and the part's rows in it. */
  baseBytes: number;
  baseRows: number;
  /** Epoch of the capture that length ends with (Journaled.commit). */
  epoch: number;
}

interface Pending {
  key: string;
  part: Journaled;
  file: JournalFile;
  /** A new file (a whole write), to delete if the checkpoint naming it is not written. */
  created: boolean;
  written: number;
}

/** A journaled part found in a state, and the object that names its journal in the state's copy. */
interface Found {
  part: Journaled;
  name: { $journal: string; bytes: number };
}

export interface JournalWrite {
  /** The state to write to the checkpoint: journaled parts replaced by what names their journal. */
  state: unknown;
  /** Bytes written to journals. */
  bytes: number;
  /** The checkpoint naming these journals is durable. */
  commit(): Promise<void>;
  /**
   * It failed: the next write starts every journal whole. New files are deleted unless the
   * checkpoint naming them may be durable (`renamed`).
   */
  abort(renamed: boolean): Promise<void>;
}

export class CheckpointJournals {
  private readonly files = new Map<string, JournalFile>();
  private made = 0;
  /** Whole writes and appended deltas so far (benches and tests read them). */
  wholeWrites = 0;
  deltaWrites = 0;
  /** Parts named as their journal stood (unchanged since their committed write). */
  unchangedWrites = 0;

  constructor(private readonly checkpointPath: string) {}

  private get dir(): string {
    return dirname(this.checkpointPath);
  }

  /** Writes each journaled part of `state` to its journal (durably); see JournalWrite. */
  async write(state: unknown, buffer: Buffer): Promise<JournalWrite> {
    const pending: Pending[] = [];
    let marked: unknown;
    try {
      const found: Found[] = [];
      marked = this.markParts(state, 0, found);
      for (const f of found) Object.assign(f.name, await this.writePart(f.part, pending, buffer));
    } catch (err) {
      await this.forget(pending, false);
      throw err;
    }
    let bytes = 0;
    for (const p of pending) bytes += p.written;
    return {
      state: marked,
      bytes,
      commit: async () => {
        let whole = false;
        for (const p of pending) {
          this.files.set(p.key, { ...p.file, epoch: p.part.commit(appendable(p.file, p.part.rows)) });
          whole ||= p.created;
        }
        // A part this checkpoint does not hold (a time window gone with its model's series): the
        // durable checkpoint no longer names its journal.
        for (const key of this.files.keys()) {
          if (pending.some((p) => p.key === key)) continue;
          this.files.delete(key);
          whole = true;
        }
        if (whole) await this.removeUnnamed();
      },
      abort: (renamed: boolean) => this.forget(pending, renamed),
    };
  }

  private async forget(pending: readonly Pending[], renamed: boolean): Promise<void> {
    for (const p of pending) {
      this.files.delete(p.key);
      p.part.forget?.();
      if (p.created && !renamed) await unlink(join(this.dir, p.file.name)).catch(() => undefined);
    }
  }

  /**
   * A copy of `value` with each journaled part replaced by what will name its journal (filled in
   * by writeParts); `value` itself when it holds none. Synchronous: an await per node walked was
   * ~1 ms a write once the walk went into drift's models.
   */
  private markParts(value: unknown, depth: number, found: Found[]): unknown {
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || ArrayBuffer.isView(value)) return value;
    if (Array.isArray(value)) {
      // Arrays of objects (drift's models, each with its profile); one of plain values (ids, a
      // warm-up column) holds no part and is not walked.
      const first: unknown = value[0];
      if (first === null || typeof first !== 'object') return value;
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = this.markParts(value[i], depth + 1, found);
        if (v !== value[i]) (copy ??= [...value])[i] = v;
      }
      return copy ?? value;
    }
    const part = journaledOf(value);
    if (part) {
      const name = { $journal: '', bytes: 0 };
      found.push({ part, name });
      return name;
    }
    if ('toJSON' in value || 'writeJson' in value) return value;
    let copy: Record<string, unknown> | undefined;
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const v = this.markParts(o[k], depth + 1, found);
      if (v !== o[k]) (copy ??= { ...o })[k] = v;
    }
    return copy ?? value;
  }

  private async writePart(part: Journaled, pending: Pending[], buffer: Buffer): Promise<{ $journal: string; bytes: number }> {
    // Parts of the same kind, numbered in the order found (a state's shape does not change between writes).
    let key = part.key;
    for (let n = 1; pending.some((p) => p.key === key); n++) key = `${part.key}-${n}`;
    const known = this.files.get(key);
    if (known !== undefined && part.unchanged === true && part.baseEpoch !== 0 && part.baseEpoch === known.epoch) {
      // The committed write is the part as it is now: named again, nothing written.
      this.unchangedWrites++;
      pending.push({ key, part, file: known, created: false, written: 0 });
      return { $journal: known.name, bytes: known.bytes };
    }
    // A part that captured only its delta was told at its commit that the store takes one now.
    const delta = known !== undefined && part.delta !== undefined && part.baseEpoch === known.epoch && (part.full === undefined || appendable(known, part.rows));
    if (!delta && part.full === undefined) {
      // Its next capture must be whole (this write fails, and its journal is not in `pending`).
      part.forget?.();
      throw new Error(`journaled part ${key} holds only a delta, and its journal must start whole`);
    }
    let file: JournalFile;
    let written: number;
    if (delta) {
      written = await writeSegment(join(this.dir, known.name), 'r+', known.bytes, part.delta, buffer);
      file = { ...known, bytes: known.bytes + written };
    } else {
      const name = `${journalPrefix(this.checkpointPath)}${Date.now().toString(36)}-${process.pid}-${++this.made}`;
      // Pushed before the write: a failed write's file is deleted by abort().
      written = 0;
      pending.push({ key, part, file: { name, bytes: 0, baseBytes: 0, baseRows: 0, epoch: 0 }, created: true, written: 0 });
      written = await writeSegment(join(this.dir, name), 'w', 0, part.full, buffer);
      pending.pop();
      // The new name must be durable before a checkpoint names it.
      await syncDirectory(this.dir);
      file = { name, bytes: written, baseBytes: written, baseRows: part.rows, epoch: 0 };
    }
    if (delta) this.deltaWrites++;
    else this.wholeWrites++;
    pending.push({ key, part, file, created: !delta, written });
    return { $journal: file.name, bytes: file.bytes };
  }

  /** Journal files no checkpoint names any more (replaced by a whole write, or left by a crash). */
  private async removeUnnamed(): Promise<void> {
    const named = new Set([...this.files.values()].map((f) => f.name));
    const prefix = journalPrefix(this.checkpointPath);
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) if (name.startsWith(prefix) && !named.has(name)) await unlink(join(this.dir, name)).catch(() => undefined);
  }
}

/**
 * Whether the journal's next segment may be appended: while the deltas are smaller than a whole
 * write would be now (its size scaled by the rows), so a restore reads at most twice the part, and
 * a growing store, whose deltas only add, is not rewritten whole for having grown.
 */
function appendable(file: JournalFile, rows: number): boolean {
  const wholeNow = (file.baseBytes * rows) / Math.max(1, file.baseRows);
  return file.bytes - file.baseBytes < Math.max(file.baseBytes, wholeNow);
}

/**
 * Replaces what names a journal in a checkpoint's parsed state by the journal's segments,
 * `{ $journal: [whole, delta, …] }` (the part's own restore folds them). Throws when a named journal
 * is missing or shorter than named.
 */
export async function readJournals(checkpointPath: string, state: unknown, depth = 0): Promise<unknown> {
  if (state === null || typeof state !== 'object' || depth > MAX_DEPTH) return state;
  if (Array.isArray(state)) {
    // As written: only arrays of objects can hold a part (markParts).
    const first: unknown = state[0];
    if (first === null || typeof first !== 'object') return state;
    for (let i = 0; i < state.length; i++) state[i] = await readJournals(checkpointPath, state[i], depth + 1);
    return state;
  }
  const o = state as Record<string, unknown>;
  if (typeof o.$journal === 'string') return { $journal: await readSegments(checkpointPath, o.$journal, o.bytes) };
  for (const k of Object.keys(o)) o[k] = await readJournals(checkpointPath, o[k], depth + 1);
  return o;
}

async function readSegments(checkpointPath: string, name: string, bytes: unknown): Promise<unknown[]> {
  if (basename(name) !== name || !name.startsWith(journalPrefix(checkpointPath))) throw new Error(`checkpoint names a journal that is not its own: ${name}`);
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes <= 0) throw new Error(`checkpoint names journal ${name} with no length`);
  const data = await readFile(join(dirname(checkpointPath), name));
  if (data.length < bytes) throw new Error(`journal ${name} holds ${data.length} bytes, the checkpoint names ${bytes}`);
  const segments: unknown[] = [];
  for (let at = 0; at < bytes; ) {
    let end = data.indexOf(0x0a, at);
    if (end < 0 || end >= bytes) end = bytes;
    segments.push(JSON.parse(data.toString('utf8', at, end)));
    at = end + 1;
  }
  return segments;
}

/** Writes `value` as one JSON line at `position`, fsyncs; returns the bytes written. */
async function writeSegment(path: string, flags: 'w' | 'r+', position: number, value: unknown, buffer: Buffer): Promise<number> {
  const fh = await open(path, flags, 0o644);
  try {
    let at = position;
    const out = new JsonChunkWriter(
      async (chunk) => {
        for (let k = 0; k < chunk.length; ) {
          const n = (await fh.write(chunk, k, chunk.length - k, at)).bytesWritten;
          k += n;
          at += n;
        }
      },
      buffer.length,
      buffer,
    );
    await out.value(value);
    await out.raw('\n');
    await out.flush();
    await fh.sync();
    return out.bytes;
  } finally {
    await fh.close();
  }
}

export function journalPrefix(checkpointPath: string): string {
  return `.${basename(checkpointPath)}.journal-`;
}

/** fsync on a directory makes a new name durable; some filesystems refuse it, which is harmless. */
export async function syncDirectory(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // EISDIR/EINVAL on filesystems without directory fsync: nothing more can be done.
  } finally {
    await fh?.close();
  }
}
