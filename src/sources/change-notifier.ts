/**
 * Wakes a file source when something changes in the directories it reads from (inotify through
 * `fs.watch`), so that an idle tailer need not stat and read its files every poll_interval: an idle
 * sidecar polling every 250 ms spent ~1 % of a core on stats, prefix reads and the garbage they leave.
 *
 * Directories, not files, are watched: a directory reports appends to any file in it as well as the
 * creations and renames of a rotation, and a watch on a file would stay on the old inode after one.
 * The directories are those of the watched paths and of where the open files really are (a Kubernetes
 * `/var/log/containers/*.log` is a symlink into `/var/log/pods/…`, whose directory is the one that
 * sees the appends); `sync` is called after each poll with the files then open.
 *
 * `complete` is false while any directory could not be watched (not there yet, a glob with a wildcard
 * in a directory part, inotify limits, a filesystem without notifications): the source then keeps
 * polling every poll_interval. Notifications are a hint, never the only trigger: see PollLoop.
 *
 * One notification a poll: the first event closes the watches until `rearm()`, which the source
 * calls as a poll starts, before it reads. A model server that logs each request with a write of its
 * own makes an event per line, and each event costs ~23 µs of CPU to take (libuv's read, the call
 * into JavaScript, the file name's string): ~2 % of a core at 1,000 requests/s for nothing, since
 * the poll the first one asked for reads them all (docs/performance.md). A change while the watches are closed is read by
 * that poll (it reads after re-watching); a change after the re-watch is notified.
 */
import { watch, type FSWatcher } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hasGlobMagic } from './glob.js';

export class ChangeNotifier {
  /** Watched directories; undefined while muted (closed since a notification, until rearm). */
  private readonly watchers = new Map<string, FSWatcher | undefined>();
  /** Directories that could not be watched at the last sync. */
  private missing = 0;
  private closed = false;
  private signature: string | undefined;

  constructor(
    private readonly patterns: readonly string[],
    private readonly onChange: () => void,
    /**
     * Names in a watched directory (absolute, normalized) whose changes are not ours to read (the
     * checkpoint's files): asked on every event, most of them the checkpoint's own writes when it
     * lives beside the log, so it should answer from names worked out beforehand (checkpointFiles).
     */
    private readonly ignored: (dir: string, name: string) => boolean = () => false,
  ) {}

  /** Some directory could not be watched at the last sync: the next sync tries again. */
  get retrying(): boolean {
    return this.missing > 0;
  }

  /** Whether every directory the source reads from is watched. */
  get complete(): boolean {
    return !this.closed && this.missing === 0 && this.watchers.size > 0 && !this.patterns.some((p) => hasGlobMagic(dirname(p)));
  }

  /**
   * Watches the patterns' directories and those of the open files (path → inode); drops directories
   * no longer used. Nothing is done while the open files and the watches are as at the last sync
   * (a file source calls it only after opening or letting go of a file, or while `retrying`).
   */
  async sync(open: ReadonlyMap<string, string>): Promise<void> {
    if (this.closed) return;
    const signature = [...open].join('\n');
    if (signature === this.signature && this.missing === 0) return;
    this.signature = signature;
    const wanted = new Set<string>();
    let missing = 0;
    for (const p of this.patterns) if (!hasGlobMagic(dirname(p))) wanted.add(dirname(p));
    for (const p of open.keys()) {
      wanted.add(dirname(p));
      const real = await realpath(p).catch(() => p);
      wanted.add(dirname(real));
    }
    for (const [dir, w] of this.watchers) {
      if (wanted.has(dir)) continue;
      w?.close();
      this.watchers.delete(dir);
    }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      const w = this.watch(dir);
      if (w) this.watchers.set(dir, w);
      else missing++;
    }
    this.missing = missing;
  }

  /**
   * Watches again the directories closed by the last notification. The source calls it as a poll
   * starts, before reading: what changed before it is read by that poll, what changes after is notified.
   */
  rearm(): void {
    if (this.closed) return;
    for (const [dir, w] of this.watchers) {
      if (w !== undefined) continue;
      const again = this.watch(dir);
      if (again) this.watchers.set(dir, again);
      else {
        this.watchers.delete(dir);
        this.missing++; // the next sync tries again; polling every poll_interval meanwhile
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const w of this.watchers.values()) w?.close();
    this.watchers.clear();
  }

  /** The first change since the last rearm: close the watches (the poll it asks for reads the rest) and say so. */
  private notify(): void {
    for (const [dir, w] of this.watchers) {
      w?.close();
      this.watchers.set(dir, undefined);
    }
    this.onChange();
  }

  private watch(dir: string): FSWatcher | undefined {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name !== null && this.ignored(dir, name)) return;
        this.notify();
      });
      // A directory removed or unmounted: forget it, so the next sync tries again (polling meanwhile).
      w.on('error', () => {
        w.close();
        if (this.watchers.get(dir) === w) this.watchers.delete(dir);
        this.missing++;
        this.onChange();
      });
      return w;
    } catch {
      return undefined;
    }
  }
}
