/**
 * One configured file source read from its beginning for a replay: every file its paths match,
 * oldest first (rotated files before the live one), line by line through the source's own record
 * stream. Records and labels come out as a queue ordered as the source wrote them; the replay loop
 * merges the queues of all sources by record time.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { FileSourceConfig } from '../config/schema.js';
import type { LabelRecord, ModelRecord } from '../records/model-record.js';
import type { RecordConsumer, RecordStream } from '../records/record-stream.js';
import { expandGlob, hasGlobMagic } from '../sources/glob.js';

export class ReplayInputError extends Error {}

export type Timed = { t: number; record: ModelRecord; label?: undefined } | { t: number; label: LabelRecord; record?: undefined };

/** The files a source's paths match now, oldest modification first; an error when there are none. */
export async function sourceFiles(name: string, cfg: FileSourceConfig): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of cfg.paths) {
    if (hasGlobMagic(pattern)) {
      for (const path of await expandGlob(pattern)) found.add(path);
      continue;
    }
    try {
      if (statSync(pattern).isFile()) found.add(pattern);
      else throw new ReplayInputError(`source "${name}": ${pattern} is not a regular file`);
    } catch (err) {
      if (err instanceof ReplayInputError) throw err;
      throw new ReplayInputError(`source "${name}": cannot read ${pattern} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  if (found.size === 0) throw new ReplayInputError(`source "${name}": paths ${cfg.paths.join(', ')} match no file`);
  return [...found].sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs || a.localeCompare(b));
}

/** Every line of the files, in order. */
export async function* linesOf(files: readonly string[]): AsyncGenerator<string> {
  for (const file of files) {
    const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of rl) yield line;
  }
}

export class SourceCursor implements RecordConsumer {
  private queue: Timed[] = [];
  private head = 0;
  private readonly lines: AsyncGenerator<string>;
  private ended = false;
  /** Set by the replay: the record stream that maps this source's lines (with this cursor as its consumer). */
  stream: RecordStream | undefined;

  constructor(
    readonly name: string,
    files: readonly string[],
    private readonly maxLineBytes: number,
  ) {
    this.lines = linesOf(files);
  }

  record(r: ModelRecord): void {
    this.queue.push({ t: r.timestamp, record: r });
  }

  label(l: LabelRecord): void {
    this.queue.push({ t: l.timestamp, label: l });
  }

  /** The next record or label of this source, reading lines until one is mapped; undefined at the end. */
  async peek(): Promise<Timed | undefined> {
    while (this.head >= this.queue.length && !this.ended) {
      if (this.head > 0) {
        this.queue = [];
        this.head = 0;
      }
      const next = await this.lines.next();
      if (next.done) this.ended = true;
      else if (Buffer.byteLength(next.value) > this.maxLineBytes) this.stream!.dropped('too_long', this.name);
      else if (next.value.trim() !== '') this.stream!.line(next.value, this.name);
    }
    return this.queue[this.head];
  }

  shift(): void {
    this.head++;
  }
}
