/**
 * Shared fixtures for the source tests: real temp directories, a sink that records what it got,
 * and tailers whose poll loop never wakes on its own (tests drive poll() by hand).
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Logger } from '../../src/core/log.js';
import { logSink } from '../helpers/log-sink.js';
import type { CheckpointStore } from '../../src/sources/checkpoint.js';
import { FileTailer, type FileTailerOptions } from '../../src/sources/file-tailer.js';
import type { LineSink } from '../../src/sources/source.js';

/** A sink that records what it got, as decoded lines (a sink without lineBytes). */
export class TextSink implements LineSink {
  readonly lines: string[] = [];
  readonly drops: string[] = [];
  line(text: string): void {
    this.lines.push(text);
  }
  dropped(reason: string): void {
    this.drops.push(reason);
  }
  droppedAs(reason: string): number {
    return this.drops.filter((r) => r === reason).length;
  }
}

/**
 * Takes lines as bytes (lineBytes), as the records stage does, so the tailer tests go through the
 * path production takes; the bytes are decoded here, before the read buffer is reused.
 */
export class CollectingSink extends TextSink {
  lineBytes(bytes: Buffer, start: number, end: number): void {
    this.lines.push(bytes.toString('utf8', start, end));
  }
}

export function makeTempDir(prefix = 'modelwatch-src-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * For a describe block whose tests each want a fresh directory: returns setup(), which makes one
 * and names `file` in it; the directory is removed after each test.
 */
export function useTempFile(file: string): () => { dir: string; path: string } {
  let cleanup = () => undefined as void;
  afterEach(() => cleanup());
  return () => {
    const t = makeTempDir();
    cleanup = t.cleanup;
    return { dir: t.dir, path: join(t.dir, file) };
  };
}

/** A waker that never fires: the loop started by start() stays idle, poll() is called by the test. */
export const neverWake = (): Promise<void> => new Promise<void>(() => undefined);

export function makeTailer(
  sink: LineSink,
  options: Partial<FileTailerOptions> & Pick<FileTailerOptions, 'paths'>,
  checkpoint?: CheckpointStore,
): FileTailer {
  return new FileTailer({
    name: 'app',
    startAt: 'beginning',
    pollIntervalMs: 250,
    maxLineBytes: 1024,
    sink,
    checkpoint,
    wait: neverWake,
    ...options,
  });
}

/** The shared log sink, under the name these tests use (records = parsed JSON lines). */
export function capturingLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const { logger, lines } = logSink();
  return { logger, records: lines };
}

/** Open descriptors of this process (Linux): a closed handle must disappear from here. */
export function openFdTargets(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      out.push(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // the fd used by readdir itself is gone by now
    }
  }
  return out;
}

export function lines(prefix: string, from: number, count: number): string {
  let s = '';
  for (let i = from; i < from + count; i++) s += `${prefix}${i}\n`;
  return s;
}

export function expectedLines(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);
}
