/**
 * Lines from a stream (process.stdin by default), split by the same LineSplitter as files: the
 * same UTF-8 and max_line_bytes rules. An unterminated last line at end of stream is a line
 * (`printf '{"a":1}' | modelwatch …`). drain() resolves at end of stream.
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../core/log.js';
import { LineSplitter } from './line-splitter.js';
import type { LineOrigin, LineSink, Source } from './source.js';

export interface StdinSourceOptions {
  name?: string;
  sink: LineSink;
  maxLineBytes: number;
  stream?: Readable;
  logger?: Logger;
}

export class StdinSource implements Source, LineOrigin {
  readonly name: string;
  readonly stats = { bytesRead: 0 };
  private readonly stream: Readable;
  private readonly splitter: LineSplitter;
  private readonly ended: Promise<void>;
  private finish: () => void = () => undefined;
  private started = false;
  private done = false;
  private lineNumber = 0;

  constructor(private readonly options: StdinSourceOptions) {
    this.name = options.name ?? 'stdin';
    this.stream = options.stream ?? process.stdin;
    const sink = options.sink;
    this.splitter = new LineSplitter(options.maxLineBytes, {
      line: (text) => {
        this.lineNumber++;
        sink.line(text, this.name, this);
      },
      // A sink that scans bytes gets each line where it lies in the chunk, not decoded.
      bytes: sink.lineBytes
        ? (bytes, start, end) => {
            this.lineNumber++;
            sink.lineBytes!(bytes, start, end, this.name, this);
          }
        : undefined,
      dropped: (reason) => {
        this.lineNumber++;
        options.sink.dropped(reason, this.name);
      },
      // The lines of one chunk arrived together.
      read: sink.read ? (deliver) => sink.read!(deliver) : undefined,
    });
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.stats.bytesRead += bytes.length;
    this.splitter.push(bytes);
  };

  private readonly onEnd = (): void => {
    this.splitter.end();
    this.close();
  };

  private readonly onError = (err: Error): void => {
    this.options.logger?.error({ err, source: this.name }, 'input stream failed; no more lines from it');
    this.close();
  };

  origin(): { file: string; line: number } {
    return { file: 'stdin', line: this.lineNumber };
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stream.on('data', this.onData);
    this.stream.once('end', this.onEnd);
    this.stream.once('error', this.onError);
  }

  /** Resolves once the stream has ended and every line has been handed to the sink. */
  async drain(): Promise<void> {
    await this.start();
    await this.ended;
  }

  /** Stops reading; the stream itself is left open (it may be the process's stdin). */
  async stop(): Promise<void> {
    if (!this.started) this.finish();
    this.close();
    this.stream.pause();
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('error', this.onError);
    this.finish();
  }
}
