import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StdinSource } from '../../src/sources/stdin-source.js';
import { CollectingSink } from './tail-helpers.js';

describe('StdinSource', () => {
  it('splits a stream into lines with the file rules; drain() resolves at end of stream', async () => {
    const sink = new CollectingSink();
    const euro = Buffer.from('€');
    const stream = Readable.from([
      Buffer.from('a\r\n\nb'),
      Buffer.concat([Buffer.from('c\n'), euro.subarray(0, 1)]),
      Buffer.concat([euro.subarray(1), Buffer.from('\n'), Buffer.from([0xff, 0x0a]), Buffer.from('x'.repeat(50)), Buffer.from('\nlast')]),
    ]);
    const src = new StdinSource({ sink, maxLineBytes: 16, stream });
    await src.start();
    await src.drain();
    expect(sink.lines).toEqual(['a', 'bc', '€', 'last']); // the unterminated last line counts at end of stream
    expect(sink.drops).toEqual(['invalid_utf8', 'too_long']);
    expect(src.stats.bytesRead).toBe(5 + 3 + 2 + 1 + 2 + 50 + 5);
    expect(src.name).toBe('stdin');
  });

  it('stop() stops reading from a stream that never ends, and drain() then resolves', async () => {
    const sink = new CollectingSink();
    const stream = new PassThrough();
    const src = new StdinSource({ name: 'pipe', sink, maxLineBytes: 100, stream });
    await src.start();
    stream.write('one\n');
    await new Promise<void>((r) => setImmediate(r));
    expect(sink.lines).toEqual(['one']);
    const drained = src.drain();
    await src.stop();
    await drained;
    stream.write('two\n');
    await new Promise<void>((r) => setImmediate(r));
    expect(sink.lines).toEqual(['one']);
  });

  it('a failing stream ends the source without throwing', async () => {
    const sink = new CollectingSink();
    const stream = new PassThrough();
    const src = new StdinSource({ sink, maxLineBytes: 100, stream });
    const drained = src.drain();
    stream.write('ok\n');
    stream.destroy(new Error('EPIPE'));
    await drained;
    expect(sink.lines).toEqual(['ok']);
  });
});
