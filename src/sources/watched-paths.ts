/**
 * The paths and globs one file source watches, resolved to absolute paths (checkpoint keys are
 * absolute). Literal paths are always listed, so a missing one shows up as an open error; globs list
 * what exists. Compressed files and the checkpoint's own files are never listed.
 */
import { basename, dirname, resolve } from 'node:path';
import { checkpointFiles, type CheckpointStore } from './checkpoint.js';
import { expandGlob, hasGlobMagic, isCompressed, matchGlob } from './glob.js';

export class WatchedPaths {
  readonly patterns: string[];
  /**
   * When no pattern is a glob, what expand() lists (every poll asks): the same paths whatever the
   * disk holds, so worked out once. Undefined when a pattern is a glob.
   */
  readonly literals: readonly string[] | undefined;
  private readonly checkpointFile: ((dir: string, name: string) => boolean) | undefined;

  constructor(paths: string[], checkpointPath?: string) {
    this.patterns = paths.map((p) => resolve(p));
    this.checkpointFile = checkpointPath === undefined ? undefined : checkpointFiles(checkpointPath);
    this.literals = this.patterns.some(hasGlobMagic) ? undefined : [...new Set(this.patterns.filter((p) => !this.excluded(p)))];
  }

  isLiteral(path: string): boolean {
    return this.patterns.includes(path);
  }

  excluded(path: string): boolean {
    if (isCompressed(path)) return true;
    if (this.checkpointFile === undefined) return false;
    const absolute = resolve(path);
    return this.checkpointFile(dirname(absolute), basename(absolute));
  }

  /** Whether this source watches the path (a checkpoint entry of ours, not another source's). */
  owns(path: string): boolean {
    return !this.excluded(path) && this.patterns.some((p) => matches(p, path));
  }

  async expand(): Promise<readonly string[]> {
    if (this.literals !== undefined) return this.literals;
    const out = new Set<string>();
    for (const p of this.patterns) {
      const found = hasGlobMagic(p) ? await expandGlob(p) : [p];
      for (const m of found) if (!this.excluded(m)) out.add(m);
    }
    return [...out];
  }

  /** Whether an earlier run watched a pattern covering this path (see CheckpointStore.watch). */
  watchedBefore(path: string, checkpoint: CheckpointStore | undefined): boolean {
    if (!checkpoint) return false;
    return this.patterns.some((p) => checkpoint.wasWatched(p) && matches(p, path));
  }
}

function matches(pattern: string, path: string): boolean {
  return pattern === path || (hasGlobMagic(pattern) && matchGlob(pattern, path));
}
