/**
 * The paths and globs one file source watches, resolved to absolute paths (checkpoint keys are
 * absolute). Literal paths are always listed, so a missing one shows up as an open error; globs list
 * what exists. Compressed files and the checkpoint's own files are never listed.
 */
import { resolve } from 'node:path';
import { isCheckpointFile, type CheckpointStore } from './checkpoint.js';
import { expandGlob, hasGlobMagic, isCompressed, matchGlob } from './glob.js';

export class WatchedPaths {
  readonly patterns: string[];

  constructor(
    paths: string[],
    private readonly checkpointPath?: string,
  ) {
    this.patterns = paths.map((p) => resolve(p));
  }

  isLiteral(path: string): boolean {
    return this.patterns.includes(path);
  }

  excluded(path: string): boolean {
    return isCompressed(path) || (this.checkpointPath !== undefined && isCheckpointFile(this.checkpointPath, path));
  }

  /** Whether this source watches the path (a checkpoint entry of ours, not another source's). */
  owns(path: string): boolean {
    return !this.excluded(path) && this.patterns.some((p) => matches(p, path));
  }

  async expand(): Promise<string[]> {
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
