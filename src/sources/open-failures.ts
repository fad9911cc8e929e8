/**
 * Paths that could not be opened. Each is retried on every poll, but counted and logged once per
 * episode (per error code), so a file missing for an hour is one open error, not 14,400.
 *
 * Not errors: a glob match that vanished between listing and opening, and a path that was open
 * before and is briefly missing between the rename and the create of a rotation.
 */
import type { Logger } from '../core/log.js';

export class OpenFailures {
  /** path → error code of the current episode */
  private readonly failing = new Map<string, string>();
  private readonly everOpened = new Set<string>();
  /** Present at startup but unopenable then: once readable, opened at start_at rather than 0. */
  private readonly deferred = new Set<string>();

  constructor(private readonly logger?: Logger) {}

  /** Returns true when this failure starts a new episode (to be counted). */
  failed(path: string, err: NodeJS.ErrnoException, how: { literal: boolean; atStartup: boolean }): boolean {
    const code = err.code ?? 'EUNKNOWN';
    if (how.atStartup && code !== 'ENOENT') this.deferred.add(path);
    if (this.failing.get(path) === code) return false;
    if (code === 'ENOENT' && (!how.literal || this.everOpened.has(path))) return false;
    this.failing.set(path, code);
    this.logger?.warn({ path, code, err: err.message }, 'cannot open log file; retrying every poll');
    return true;
  }

  opened(path: string): void {
    if (this.failing.delete(path)) this.logger?.info({ path }, 'log file can be opened again');
    this.deferred.delete(path);
    this.everOpened.add(path);
  }

  /** Whether the path was there at startup but unreadable, so start_at still applies to it. */
  deferredStartAt(path: string): boolean {
    return this.deferred.has(path);
  }
}
