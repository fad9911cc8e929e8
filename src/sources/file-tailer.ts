/**
 * `tail -F` for log files, polled, the mtail way; woken by change notifications where the directories
 * can be watched (change-notifier.ts: then polls run only after a change, poll_interval apart, with a
 * safety poll every SAFETY_POLL_MS), every poll_interval otherwise.
 *
 * Each poll reads every open file in 1 MiB chunks to its end (a read shorter than the chunk, or one
 * that finds nothing), checking the file's first bytes after each read that found bytes, before
 * handing them on. Only then is the watched path stat'ed (no stat while data flows) and compared
 * with the open handle. A live poll of a growing file is three thread-pool round trips: the read,
 * the first bytes, the stat.
 *   - path gone                        → drain the handle, close it          (rotations.deleted)
 *   - another file at the path         → drain the old handle to its end, open the new file at 0
 *                                        (rotations.rename, or .symlink when the path is a symlink)
 *   - same file, shorter than offset,
 *     or its first bytes changed       → copytruncate: restart at 0          (rotations.truncate)
 *     (first bytes: checked after a read that found bytes, or, when the pass read nothing, by the
 *     path check: a truncate-and-rewrite past our offset shows in the next read, one to exactly
 *     our offset only in the first bytes)
 * Then globs are expanded: a file found after startup is opened at 0 (rotations.new_file), one
 * present at startup at start_at. A path that cannot be opened is retried on every poll and counted
 * once per episode in openErrors; the process stays up.
 *
 * At start, a checkpoint entry whose identity (dev+ino+fingerprint) still matches resumes at its
 * offset. If the file was rotated while we were stopped, the rotated file is found beside its path
 * (rotated-file-finder.ts) and resumed instead; at its end the normal rotation check moves on to the
 * new file at 0. A path replaced while stopped and not found is read from 0. The checkpoint also
 * records the patterns watched, so a file that appeared under one of them after the last checkpoint
 * is read from 0 too: start_at only governs the first run of a source.
 *
 * A read error on one file (EIO, a vanished mount) closes that file only; it is reopened at its
 * committed offset on the next poll and counted in readErrors.
 *
 * Polls, checkpoints and stop run one at a time (a promise chain), so state is never seen half-way.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { RateLimitedLog, type Logger } from '../core/log.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { CheckpointEntry, CheckpointStore } from './checkpoint.js';
import { openRegularFile, sameInode, type OpenedFile } from './file-identity.js';
import type { LineDropReason, LineHandler } from './line-splitter.js';
import { OpenFailures } from './open-failures.js';
import { PollLoop } from './poll-loop.js';
import { ChangeNotifier } from './change-notifier.js';
import { checkpointFiles } from './checkpoint.js';
import { RetiredFiles } from './retired-files.js';
import { resumeEntry } from './resume-entry.js';
import type { LineSink, Source } from './source.js';
import { endStartOffset } from './start-offset.js';
import { TailedFile } from './tailed-file.js';
import { WatchedPaths } from './watched-paths.js';

export type RotationKind = 'rename' | 'truncate' | 'symlink' | 'deleted' | 'new_file';

export interface FileTailerOptions {
  name: string;
  /** Paths or globs. */
  paths: string[];
  startAt: 'beginning' | 'end';
  pollIntervalMs: number;
  maxLineBytes: number;
  sink: LineSink;
  clock?: Clock;
  checkpoint?: CheckpointStore;
  logger?: Logger;
  /** Waits between polls; injected by tests. Default: a timer that stop() cancels. */
  wait?: (ms: number) => Promise<void>;
  /** Poll only on change notifications (inotify), pollIntervalMs apart, with a safety poll every SAFETY_POLL_MS. Default: on, unless `wait` is injected. */
  notify?: boolean;
}

export interface FileTailerStats {
  bytesRead: number;
  rotations: Record<RotationKind, number>;
  openErrors: number;
  readErrors: number;
  openFiles: number;
}

// Each positioned read is a thread-pool round trip (~50 µs of CPU at 64 KiB); a backlog of 150 MB took
// 126 ms of CPU in 64 KiB reads and 41 ms in 1 MiB reads. A live poll reads what was appended either way.
const CHUNK_BYTES = 1024 * 1024;
const YIELD_EVERY_BYTES = 1024 * 1024;
/** Rotations handled for one path within one poll; a file truncated in a tight loop cannot spin us. */
const MAX_SWITCHES_PER_POLL = 4;
/**
 * With change notifications, the longest time between two polls. A notification may be missed (a
 * file on a network filesystem written by another host reports nothing): its lines are then read
 * this late, never lost. An idle tailer pays one stat round per file per 5 s, not per poll_interval.
 */
export const SAFETY_POLL_MS = 5000;

type OffsetRule = 'start_at' | 'zero';
/** Why a path is being opened: only files discovered while running count as new_file. */
type OpenReason = 'startup' | 'rotation' | 'discovered';

export class FileTailer implements Source {
  readonly name: string;
  readonly stats: FileTailerStats = {
    bytesRead: 0,
    rotations: { rename: 0, truncate: 0, symlink: 0, deleted: 0, new_file: 0 },
    openErrors: 0,
    readErrors: 0,
    openFiles: 0,
  };
  /** Open files by watched path. */
  private readonly files = new Map<string, TailedFile>();
  private readonly watched: WatchedPaths;
  private readonly failures: OpenFailures;
  private readonly retired = new RetiredFiles();
  private readonly loop: PollLoop;
  private readonly notifier: ChangeNotifier | undefined;
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private readonly lines: LineHandler;
  private readonly logger: Logger | undefined;
  private readonly dropLog: RateLimitedLog | undefined;
  /** Polls, checkpoints and stop run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private opened = false;
  private stopped = false;
  private bytesSinceYield = 0;
  /** The file whose lines are being delivered: where a skipped line came from. */
  private reading: TailedFile | undefined;
  /** Files were opened or let go of since the notifier was last told which (it is told only then). */
  private filesChanged = true;

  constructor(private readonly options: FileTailerOptions) {
    if (options.paths.length === 0) throw new Error(`file source ${options.name}: no paths`);
    this.name = options.name;
    this.watched = new WatchedPaths(options.paths, options.checkpoint?.path);
    this.logger = options.logger?.child({ source: options.name });
    this.failures = new OpenFailures(this.logger);
    const checkpointPath = options.checkpoint?.path;
    this.notifier =
      (options.notify ?? !options.wait)
        ? new ChangeNotifier(this.watched.patterns, () => this.loop.wake(), checkpointPath === undefined ? undefined : checkpointFiles(checkpointPath))
        : undefined;
    this.loop = new PollLoop(
      options.pollIntervalMs,
      () => this.poll(),
      (err) => this.logger?.error({ err }, 'poll failed; retrying next interval'),
      options.wait,
      () => this.notifier?.complete === true,
      Math.max(SAFETY_POLL_MS, options.pollIntervalMs),
    );
    const clock = options.clock ?? systemClock;
    this.dropLog = this.logger ? new RateLimitedLog(this.logger, 10_000, () => clock.now()) : undefined;
    const sink = options.sink;
    this.lines = {
      line: (text) => sink.line(text, this.name, this.reading),
      // A sink that scans bytes gets each line where it lies in the read buffer, not decoded.
      bytes: sink.lineBytes ? (bytes, start, end) => sink.lineBytes!(bytes, start, end, this.name, this.reading) : undefined,
      dropped: (reason: LineDropReason) => {
        options.sink.dropped(reason, this.name);
        this.dropLog?.warn(reason, { reason, max_line_bytes: options.maxLineBytes }, 'line dropped');
      },
      // The lines of one read (up to CHUNK_BYTES) arrived together.
      read: sink.read ? (deliver) => sink.read!(deliver) : undefined,
    };
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    await this.exclusive(() => this.openAtStartup());
    this.loop.start();
  }

  /** One full pass: read every open file to its end, handle rotations, pick up new files. */
  async poll(): Promise<void> {
    await this.exclusive(() => this.pollOnce());
  }

  /** Reads what a change notification announced since the last poll, now (nothing when none did). */
  readNow(): Promise<void> {
    return this.loop.now();
  }

  /** Polls until a pass reads nothing. */
  async drain(): Promise<void> {
    while ((await this.exclusive(() => this.pollOnce())) > 0) {
      // keep going: a pass that read something may have more behind it
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.loop.stop();
    this.notifier?.close();
    await this.exclusive(async () => {
      if (this.opened) await this.writeCheckpoint();
      this.stopped = true;
      for (const f of this.files.values()) await f.close();
      this.files.clear();
      this.stats.openFiles = 0;
    });
  }

  /** Writes the committed offsets of every open file now; the caller picks the interval. */
  async checkpointNow(): Promise<void> {
    await this.exclusive(() => this.writeCheckpoint());
  }

  rotations(): Record<string, number> {
    return { ...this.stats.rotations };
  }

  fileCount(): number {
    return this.files.size;
  }

  lagBytes(): number {
    let lag = 0;
    for (const f of this.files.values()) lag += f.lagBytes();
    return lag;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async pollOnce(): Promise<number> {
    if (this.stopped) return 0;
    // Before any read: a change from here on is notified, one before is read by this pass.
    this.notifier?.rearm();
    if (!this.opened) await this.openAtStartup();
    let bytes = 0;
    for (const f of [...this.files.values()]) bytes += await this.followSafely(f);
    // Literal paths all open (the steady state): no new file to look for.
    const literals = this.watched.literals;
    if (literals === undefined || this.files.size < literals.length) {
      for (const path of await this.watched.expand()) {
        if (this.files.has(path)) continue;
        const f = await this.openLater(path);
        if (f) bytes += await this.followSafely(f);
      }
    }
    const notifier = this.notifier;
    if (notifier !== undefined && (this.filesChanged || notifier.retrying)) {
      this.filesChanged = false;
      await notifier.sync(new Map([...this.files.values()].map((f) => [f.openedPath, f.identity.ino])));
    }
    return bytes;
  }

  /** One file failing to read must not stop the others: close it, reopen it next poll. */
  private async followSafely(f: TailedFile): Promise<number> {
    try {
      return await this.follow(f);
    } catch (err) {
      this.stats.readErrors++;
      this.logger?.warn({ path: f.key, err }, 'read failed; reopening at the committed offset next poll');
      this.retired.remember(f.identity, f.committed);
      this.files.delete(f.key);
      this.filesChanged = true;
      this.stats.openFiles = this.files.size;
      await f.close();
      return 0;
    }
  }

  /** Reads a file to its end and deals with what the path check finds, in the same pass. */
  private async follow(first: TailedFile): Promise<number> {
    let f = first;
    let bytes = 0;
    for (let i = 0; i < MAX_SWITCHES_PER_POLL; i++) {
      const read = await this.readToEnd(f);
      bytes += read;
      const change = await f.checkPath(read > 0);
      if (change.kind === 'same') {
        // Appended while this pass read: the next poll reads it, notified or not.
        if (f.size > f.position) this.loop.wake();
        return bytes;
      }
      if (change.kind === 'unknown') {
        this.dropLog?.warn(`stat:${f.key}`, { path: f.key, err: change.error }, 'cannot stat watched path');
        return bytes;
      }
      if (change.kind === 'truncated') {
        this.rotated('truncate', f.key);
        await f.restart();
        continue;
      }
      // Gone or replaced: whatever the writer added to the old file before letting go comes first.
      bytes += await this.readToEnd(f);
      await this.retire(f);
      if (change.kind === 'gone') {
        this.rotated('deleted', f.key);
        return bytes;
      }
      this.rotated(change.viaSymlink ? 'symlink' : 'rename', f.key);
      const next = await this.openPath(f.key, 'zero', 'rotation');
      if (!next) return bytes;
      f = next;
    }
    return bytes;
  }

  /**
   * Reads to the end of the file: to a read shorter than the buffer (a regular file's end as of that
   * read; a read that finds nothing more would be one thread-pool round trip a poll for nothing).
   * The first bytes are checked after each read that found bytes and before those are handed on:
   * bytes behind a rewritten start (copytruncate, then written past our offset) are not the
   * continuation of what was read, and the file is read again from 0.
   */
  private async readToEnd(f: TailedFile): Promise<number> {
    this.reading = f;
    const buffer = this.buffer;
    let total = 0;
    let restarts = 0;
    for (;;) {
      const n = await f.read(buffer);
      if (n === 0) return total;
      if (await f.firstBytesChanged()) {
        this.rotated('truncate', f.key);
        await f.restart();
        // A file truncated in a tight loop cannot spin us: the rest waits for the next poll.
        if (++restarts >= MAX_SWITCHES_PER_POLL) return total;
        continue;
      }
      f.deliver(buffer, n);
      total += n;
      this.stats.bytesRead += n;
      this.bytesSinceYield += n;
      if (n < buffer.length) return total;
      // Let timers and HTTP handlers run while catching up on a large backlog.
      if (this.bytesSinceYield >= YIELD_EVERY_BYTES) {
        this.bytesSinceYield = 0;
        await nextTurn();
      }
    }
  }

  private rotated(kind: RotationKind, path: string): void {
    this.stats.rotations[kind]++;
    this.logger?.info({ path, kind }, 'log file rotation');
  }

  private async retire(f: TailedFile): Promise<void> {
    this.retired.remember(f.identity, f.committed);
    this.files.delete(f.key);
    this.filesChanged = true;
    this.stats.openFiles = this.files.size;
    // Its offset no longer means anything at this path; a stale entry would replay the old file.
    this.options.checkpoint?.delete(f.key);
    await f.close();
  }

  private async openAtStartup(): Promise<void> {
    if (this.opened) return;
    this.opened = true;
    const checkpoint = this.options.checkpoint;
    await checkpoint?.load();
    const known = new Set<string>();
    for (const entry of checkpoint?.entries() ?? []) {
      if (!this.watched.owns(entry.path)) continue;
      known.add(entry.path);
      await this.resume(entry);
    }
    for (const path of await this.watched.expand()) {
      if (this.files.has(path)) continue;
      // Watched by an earlier run but not in the checkpoint: it appeared after the last checkpoint.
      const appearedSince = known.has(path) || this.watched.watchedBefore(path, checkpoint);
      await this.openPath(path, appearedSince ? 'zero' : 'start_at', appearedSince ? 'discovered' : 'startup');
    }
  }

  private async resume(entry: CheckpointEntry): Promise<void> {
    const found = await resumeEntry(entry, (id) => this.isTailed(id));
    if (!found) return; // missing: retried like any other path
    if (found.change) this.rotated(found.change, entry.path);
    if (found.file.path !== entry.path) {
      this.logger?.info({ path: entry.path, rotated_to: found.file.path }, 'resuming a file rotated while stopped');
    }
    // Offsets are always saved at a line start; one that is not (a hand-edited or damaged
    // checkpoint) would emit the tail of a line as a broken line: skip to the next line instead.
    const midLine = found.offset > 0 && !(await endsWithNewline(found.file, found.offset));
    if (midLine) this.options.checkpoint?.misaligned(entry.path, found.offset);
    this.adopt(entry.path, found.file, found.offset, midLine);
  }

  private openLater(path: string): Promise<TailedFile | undefined> {
    return this.openPath(path, 'zero', 'discovered');
  }

  private async openPath(path: string, rule: OffsetRule, reason: OpenReason): Promise<TailedFile | undefined> {
    let opened: OpenedFile;
    try {
      opened = await openRegularFile(path);
    } catch (err) {
      const how = { literal: this.watched.isLiteral(path), atStartup: reason === 'startup' };
      if (this.failures.failed(path, err as NodeJS.ErrnoException, how)) this.stats.openErrors++;
      return undefined;
    }
    const deferred = this.failures.deferredStartAt(path);
    this.failures.opened(path);
    if (this.isTailed(opened.identity)) {
      await opened.handle.close(); // the same inode under another name (symlink, hard link): read once
      return undefined;
    }
    const resumeAt = this.retired.resumeOffset(opened);
    if (resumeAt !== undefined) return this.adopt(path, opened, resumeAt);
    if ((rule === 'start_at' || deferred) && this.options.startAt === 'end') {
      const start = await endStartOffset(opened.handle, opened.size);
      return this.adopt(path, opened, start.offset, start.midLine);
    }
    if (reason === 'discovered') this.rotated('new_file', path);
    return this.adopt(path, opened, 0);
  }

  private adopt(key: string, opened: OpenedFile, offset: number, midLine = false): TailedFile {
    const f = new TailedFile(key, opened, offset, this.options.maxLineBytes, this.lines, midLine);
    this.files.set(key, f);
    this.filesChanged = true;
    this.failures.opened(key);
    this.stats.openFiles = this.files.size;
    return f;
  }

  private isTailed(id: { dev: string; ino: string }): boolean {
    for (const f of this.files.values()) if (sameInode(f.identity, id)) return true;
    return false;
  }

  /**
   * Puts the committed offsets of every open file into the checkpoint store, synchronously: at any
   * instant between reads, committed offsets match exactly the lines already delivered, so a state
   * snapshot taken in the same synchronous step is consistent with them.
   */
  recordOffsets(): void {
    const checkpoint = this.options.checkpoint;
    if (!checkpoint) return;
    for (const p of this.watched.patterns) checkpoint.watch(p);
    for (const f of this.files.values()) {
      checkpoint.set({ path: f.key, ...f.identity, offset: f.committed });
    }
  }

  private async writeCheckpoint(): Promise<void> {
    if (!this.options.checkpoint) return;
    this.recordOffsets();
    await this.options.checkpoint.save();
  }
}

/** Whether the byte just before `offset` is a line feed (the offset starts a line). */
async function endsWithNewline(file: OpenedFile, offset: number): Promise<boolean> {
  const byte = Buffer.alloc(1);
  const { bytesRead } = await file.handle.read(byte, 0, 1, offset - 1);
  return bytesRead === 1 && byte[0] === 0x0a;
}
