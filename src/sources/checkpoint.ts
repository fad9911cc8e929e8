/**
 * The offsets checkpoint: one small JSON file shared by every file source,
 *   {"version":1,"files":[{"path","dev","ino","fingerprint","offset","updatedAt"}]}
 * keyed by path. Offsets always sit at a line start (see LineSplitter.committedBytes). An optional
 * `watched: [{pattern, updatedAt}]` records which paths/globs were being tailed, so that after a
 * restart a file that appeared while we were away is read from its start rather than skipped by
 * `start_at: end` (start_at only governs the first run of a source).
 *
 * Writes are atomic: a temp file in the same directory is written and fsynced, renamed over the
 * checkpoint, and the directory is fsynced so the rename itself survives a power cut. A reader sees
 * the old file or the new one, never half of one.
 *
 * A checkpoint that cannot be parsed (empty, truncated, NUL-filled after a crash on some
 * filesystems, hand-edited) is moved aside to `<path>.corrupt-<timestamp>`, counted and logged;
 * tailing then starts from each source's start_at. It never stops the process.
 *
 * An entry not refreshed for ttlMs expires at the next save, so entries of deleted files do not pile
 * up. Age counts from max(updatedAt, load time): entries are not lost because the process itself was
 * down for longer than the TTL.
 */
import { copyFile, open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Logger } from '../core/log.js';
import * as z from 'zod';
import { systemClock, type Clock } from '../core/clock.js';
import { JsonChunkWriter } from '../core/json-chunk-writer.js';
import { CheckpointJournals, journalPrefix, readJournals, syncDirectory, type JournalWrite } from './checkpoint-journal.js';

export const DEFAULT_CHECKPOINT_TTL_MS = 24 * 60 * 60 * 1000;

/** The buffer the checkpoint's JSON is streamed through (JsonChunkWriter). */
const WRITE_BUFFER_BYTES = 1 << 20;

const entrySchema = z.object({
  path: z.string().min(1),
  dev: z.string(),
  ino: z.string(),
  fingerprint: z.string(),
  offset: z.number().int().nonnegative(),
  updatedAt: z.number(),
});

const watchedSchema = z.object({ pattern: z.string().min(1), updatedAt: z.number() });

const fileSchema = z.object({
  version: z.literal(1),
  files: z.array(entrySchema),
  watched: z.array(watchedSchema).optional(),
  /** The pipeline's state at the instant these offsets were taken (see src/state/). */
  state: z.unknown().optional(),
});

export type CheckpointEntry = z.infer<typeof entrySchema>;

export interface CheckpointOptions {
  path: string;
  /**
   * Called synchronously as each write is prepared, in the same step as the offsets are taken; what
   * it returns (or resolves to: a provider may finish its capture over several turns, having frozen
   * its state at the call) is saved with the offsets in the same atomic write, so offsets and the
   * state they produced can never disagree on disk.
   */
  stateProvider?: () => unknown;
  /**
   * False while the state the provider would capture is not the resumed one yet (during startup):
   * saves are then skipped, so the last run's checkpoint is never replaced by an empty pipeline.
   */
  canWrite?: () => boolean;
  clock?: Clock;
  logger?: Logger;
  ttlMs?: number;
  /** Tests: called at each step of a write (journal-written, temp-written, renamed); a throw fails it there. */
  fault?: (step: 'journal-written' | 'temp-written' | 'renamed') => void;
}

export interface CheckpointStats {
  writes: number;
  /** Read, write and move-aside failures. */
  errors: number;
  /** Writes that failed (disk full, permission, …): the offsets stay in memory. */
  writeFailures: number;
  /** Checkpoints (or their pipeline state) found invalid and moved aside, and offsets re-synced to a line start. */
  corrupt: number;
  /** Clock time of the last successful write, ms; 0 before the first. */
  lastSuccessMs: number;
  bytesWritten: number;
  /** Leftover temp files of an interrupted write removed at load. */
  tempFilesRemoved: number;
}

export class CheckpointStore {
  readonly stats: CheckpointStats = { writes: 0, errors: 0, writeFailures: 0, corrupt: 0, lastSuccessMs: 0, bytesWritten: 0, tempFilesRemoved: 0 };
  private readonly entriesByPath = new Map<string, CheckpointEntry>();
  /** pattern → updatedAt */
  private readonly watchedPatterns = new Map<string, number>();
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private loading: Promise<void> | undefined;
  private loadedAt = 0;
  /** Saves run one after another: two sources checkpointing at once must not interleave renames. */
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly options: CheckpointOptions) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? DEFAULT_CHECKPOINT_TTL_MS;
    this.journals = new CheckpointJournals(options.path);
  }

  get path(): string {
    return this.options.path;
  }

  /** Reads the file once; later calls return the same promise. A missing file is an empty checkpoint. */
  load(): Promise<void> {
    this.loading ??= this.removeTempFiles().then(() => this.readFromDisk());
    return this.loading;
  }

  /** The state saved with the offsets by the last run, if any. */
  loadedState: unknown = undefined;
  private writeBuffer: Buffer | undefined;
  /** The journaled parts' files (the label join store): whole now and then, else what changed. */
  readonly journals: CheckpointJournals;

  get(path: string): CheckpointEntry | undefined {
    return this.entriesByPath.get(path);
  }

  entries(): CheckpointEntry[] {
    return [...this.entriesByPath.values()];
  }

  set(entry: Omit<CheckpointEntry, 'updatedAt'>): void {
    this.entriesByPath.set(entry.path, { ...entry, updatedAt: this.clock.now() });
  }

  delete(path: string): void {
    this.entriesByPath.delete(path);
  }

  /** Records that a path or glob is being tailed (refreshes its TTL). */
  watch(pattern: string): void {
    this.watchedPatterns.set(pattern, this.clock.now());
  }

  /** Whether an earlier run tailed this path or glob. */
  wasWatched(pattern: string): boolean {
    return this.watchedPatterns.has(pattern);
  }

  /**
   * Expires stale entries and writes the file atomically. Failures are counted and logged, never
   * thrown. Resolves to the state written with the offsets (undefined without a state provider or
   * when the write failed), once it is durable. The file is loaded first: an early write must not
   * replace the last run's offsets with none.
   */
  save(): Promise<unknown> {
    const next = this.saving.then(() => this.load()).then(() => this.writeToDisk());
    this.saving = next.then(() => undefined);
    return next;
  }

  private async readFromDisk(): Promise<void> {
    this.loadedAt = this.clock.now();
    let text: string;
    try {
      text = await readFile(this.options.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.stats.errors++;
      this.options.logger?.error({ err, path: this.options.path }, 'cannot read the checkpoint; starting from start_at');
      return;
    }
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (err) {
      await this.moveAside(err);
      return;
    }
    for (const e of parsed.files) this.entriesByPath.set(e.path, e);
    for (const w of parsed.watched ?? []) this.watchedPatterns.set(w.pattern, w.updatedAt);
    try {
      // Parts written to a journal (checkpoint-journal.ts) are read back as its segments.
      this.loadedState = await readJournals(this.options.path, parsed.state);
    } catch (err) {
      await this.setAside(`checkpoint state names a journal that cannot be read: ${(err as Error).message}`);
    }
  }

  /**
   * The pipeline state saved with the offsets is invalid: a copy of the file is kept aside for a
   * post-mortem, the state is dropped (the pipeline starts fresh) and the offsets are kept.
   */
  async setAside(reason: string): Promise<void> {
    this.loadedState = undefined;
    await this.moveAside(new Error(reason), true);
  }

  /** Counts an offset that was not at a line start (the tailer re-syncs to the next line). */
  misaligned(path: string, offset: number): void {
    this.stats.corrupt++;
    this.options.logger?.error({ path, offset }, 'checkpoint offset is not at a line start; skipping to the next line');
  }

  /** A kill -9 during a write leaves its temp file behind; nothing else writes these names. */
  private async removeTempFiles(): Promise<void> {
    const dir = dirname(this.options.path);
    const prefix = tempPrefix(this.options.path);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      await unlink(join(dir, name)).then(
        () => void this.stats.tempFilesRemoved++,
        () => undefined,
      );
    }
    if (this.stats.tempFilesRemoved > 0) this.options.logger?.info({ removed: this.stats.tempFilesRemoved }, 'removed temp files of an interrupted checkpoint write');
  }

  private async moveAside(cause: unknown, keepOriginal = false): Promise<void> {
    this.stats.corrupt++;
    const aside = `${this.options.path}.corrupt-${new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-')}`;
    try {
      await (keepOriginal ? copyFile(this.options.path, aside) : rename(this.options.path, aside));
    } catch (err) {
      this.stats.errors++;
      this.options.logger?.error({ err, path: this.options.path }, 'checkpoint is corrupt and could not be moved aside');
      return;
    }
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    this.options.logger?.error(
      { path: this.options.path, moved_to: aside, reason },
      keepOriginal ? 'checkpoint state is invalid: a copy moved aside, offsets kept, pipeline state starts fresh' : 'checkpoint file is corrupt: moved aside, tailing starts from start_at',
    );
  }

  private expire(): void {
    const now = this.clock.now();
    const stale = (updatedAt: number) => now - Math.max(updatedAt, this.loadedAt) > this.ttlMs;
    for (const [path, e] of this.entriesByPath) if (stale(e.updatedAt)) this.entriesByPath.delete(path);
    for (const [pattern, at] of this.watchedPatterns) if (stale(at)) this.watchedPatterns.delete(pattern);
  }

  private async writeToDisk(): Promise<unknown> {
    if (this.options.canWrite && !this.options.canWrite()) return undefined;
    this.expire();
    const pending = this.options.stateProvider?.();
    const watched = [...this.watchedPatterns].map(([pattern, updatedAt]) => ({ pattern, updatedAt }));
    const head = { version: 1, files: this.entries(), watched };
    let state: unknown;
    try {
      state = await pending;
    } catch (err) {
      this.stats.errors++;
      this.stats.writeFailures++;
      this.options.logger?.error({ err }, 'checkpoint state could not be taken; offsets kept in memory');
      return undefined;
    }
    const target = this.options.path;
    const dir = dirname(target);
    const temp = join(dir, `${tempPrefix(target)}${process.pid}-${this.clock.now()}`);
    // One buffer for every write (writes are one at a time): no 1 MiB of new memory each 5 s.
    this.writeBuffer ??= Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    let journal: JournalWrite | undefined;
    let renamed = false;
    try {
      // Journaled parts first: the checkpoint may name only journal bytes already durable.
      journal = state === undefined ? undefined : await this.journals.write(state, this.writeBuffer);
      this.options.fault?.('journal-written');
      const fh = await open(temp, 'w', 0o644);
      let bytes = journal?.bytes ?? 0;
      try {
        bytes += await writeCheckpointText(fh, head, journal ? journal.state : state, this.writeBuffer);
        this.options.fault?.('temp-written');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, target);
      renamed = true;
      this.options.fault?.('renamed');
      await syncDirectory(dir);
      await journal?.commit();
      this.stats.writes++;
      this.stats.bytesWritten += bytes;
      this.stats.lastSuccessMs = this.clock.now();
      return state;
    } catch (err) {
      this.stats.errors++;
      this.stats.writeFailures++;
      this.options.logger?.error({ err, path: target }, 'checkpoint write failed; offsets kept in memory');
      await unlink(temp).catch(() => undefined);
      // The next write starts every journal whole; a new journal file is deleted unless the
      // checkpoint naming it was renamed into place.
      await journal?.abort(renamed);
      return undefined;
    }
  }
}

/**
 * The checkpoint's JSON: the head alone (indented, for a reader's eye), or the head with the state
 * streamed after it through one reused buffer (a multi-megabyte state, see JsonChunkWriter), never
 * held as one string. The state was captured in one synchronous step and holds no live references,
 * so it may be written over several turns of the event loop. Returns the bytes written.
 */
async function writeCheckpointText(fh: FileHandle, head: object, state: unknown, buffer: Buffer): Promise<number> {
  const out = new JsonChunkWriter(
    async (chunk) => {
      for (let at = 0; at < chunk.length; ) at += (await fh.write(chunk, at, chunk.length - at)).bytesWritten;
    },
    buffer.length,
    buffer,
  );
  if (state === undefined) {
    await out.raw(`${JSON.stringify(head, null, 1)}\n`);
  } else {
    await out.raw(`${JSON.stringify(head).slice(0, -1)},"state":`);
    await out.value(state);
    await out.raw('}\n');
  }
  await out.flush();
  return out.bytes;
}

function tempPrefix(checkpointPath: string): string {
  return `.${basename(checkpointPath)}.tmp-`;
}

/** The checkpoint, its temp files and moved-aside copies: never to be mistaken for a log. */
export function isCheckpointFile(checkpointPath: string, path: string): boolean {
  const candidate = resolve(path);
  return checkpointFiles(checkpointPath)(dirname(candidate), basename(candidate));
}

/**
 * isCheckpointFile for one checkpoint, asked of a name in a directory (absolute and normalized,
 * as a watched directory is): its names are worked out once, not per call. A change notifier asks
 * it of every inotify event in the log's directory, and the checkpoint's own writes are most of them.
 */
export function checkpointFiles(checkpointPath: string): (dir: string, name: string) => boolean {
  const checkpoint = resolve(checkpointPath);
  const home = dirname(checkpoint);
  const base = basename(checkpoint);
  const temp = tempPrefix(checkpoint);
  const journal = journalPrefix(checkpoint);
  const corrupt = `${base}.corrupt-`;
  return (dir, name) => dir === home && (name === base || name.startsWith(temp) || name.startsWith(journal) || name.startsWith(corrupt));
}
