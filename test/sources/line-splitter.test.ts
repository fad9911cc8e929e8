import { describe, expect, it } from 'vitest';
import { LineSplitter, type LineDropReason } from '../../src/sources/line-splitter.js';

function splitter(maxLineBytes = 64) {
  const lines: string[] = [];
  const drops: LineDropReason[] = [];
  const s = new LineSplitter(maxLineBytes, { line: (t) => lines.push(t), dropped: (r) => drops.push(r) });
  return { s, lines, drops };
}

const b = (text: string) => Buffer.from(text, 'utf8');

describe('LineSplitter', () => {
  it('emits LF-terminated lines and keeps a partial line until its LF arrives', () => {
    const { s, lines } = splitter();
    s.push(b('one\ntw'));
    expect(lines).toEqual(['one']);
    expect(s.committedBytes).toBe(4);
    expect(s.pendingBytes).toBe(2);
    s.push(b('o\nthree\n'));
    expect(lines).toEqual(['one', 'two', 'three']);
    expect(s.committedBytes).toBe(14);
    expect(s.pendingBytes).toBe(0);
  });

  it('strips one trailing CR (CRLF) but keeps a CR inside the line', () => {
    const { s, lines } = splitter();
    s.push(b('a\r\nb\rc\r\nd\r'));
    s.push(b('\n'));
    expect(lines).toEqual(['a', 'b\rc', 'd']);
  });

  it('skips empty lines (LF and CRLF) without counting them, but commits their bytes', () => {
    const { s, lines, drops } = splitter();
    s.push(b('\n\r\nx\n\n'));
    expect(lines).toEqual(['x']);
    expect(drops).toEqual([]);
    expect(s.committedBytes).toBe(6);
  });

  it('reassembles a multi-byte character split at every possible byte boundary', () => {
    const text = 'é€😀 ok\n';
    const bytes = b(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { s, lines, drops } = splitter();
      s.push(bytes.subarray(0, cut));
      s.push(bytes.subarray(cut));
      expect(lines, `cut at ${cut}`).toEqual(['é€😀 ok']);
      expect(drops).toEqual([]);
    }
  });

  it('drops invalid UTF-8 lines as invalid_utf8 and carries on', () => {
    const { s, lines, drops } = splitter();
    s.push(Buffer.concat([b('good\n'), Buffer.from([0x66, 0xff, 0x6f, 0x0a]), b('after\n')]));
    // A lead byte without its continuation byte, and an overlong encoding of '/', are invalid too.
    s.push(Buffer.from([0xc3, 0x28, 0x0a, 0xc0, 0xaf, 0x0a]));
    s.push(b('end\n'));
    expect(lines).toEqual(['good', 'after', 'end']);
    expect(drops).toEqual(['invalid_utf8', 'invalid_utf8', 'invalid_utf8']);
  });

  it('drops an over-long line once, skips its rest without buffering it, then carries on', () => {
    const { s, lines, drops } = splitter(8);
    s.push(b('short\n0123456789'));
    expect(drops).toEqual(['too_long']);
    expect(s.committedBytes).toBe(6);
    // Many more bytes of the same line: no second drop, and nothing held in memory.
    for (let i = 0; i < 100; i++) s.push(b('x'.repeat(1000)));
    expect(drops).toEqual(['too_long']);
    s.push(b('tail\nnext\n'));
    expect(lines).toEqual(['short', 'next']);
    expect(drops).toEqual(['too_long']);
    expect(s.committedBytes).toBe(6 + 10 + 100_000 + 5 + 5);
  });

  it('treats a line of exactly max bytes as fine (with LF or CRLF) and max+1 as too long', () => {
    const { s, lines, drops } = splitter(4);
    s.push(b('abcd\nabcd\r\nabcde\nab'));
    s.push(b('cde\r\nok\n'));
    expect(lines).toEqual(['abcd', 'abcd', 'ok']);
    expect(drops).toEqual(['too_long', 'too_long']);
  });

  it('detects an over-long line even when it arrives in one chunk with its LF', () => {
    const { s, lines, drops } = splitter(4);
    s.push(b('0123456789\nok\n'));
    expect(lines).toEqual(['ok']);
    expect(drops).toEqual(['too_long']);
  });

  it('end() emits an unterminated last line; reset() starts offsets over', () => {
    const { s, lines } = splitter();
    s.push(b('a\nlast'));
    s.end();
    expect(lines).toEqual(['a', 'last']);
    expect(s.committedBytes).toBe(6);
    s.reset();
    expect(s.committedBytes).toBe(0);
    s.push(b('z\n'));
    expect(lines.at(-1)).toBe('z');
  });

  it('skipToNextLine() discards the fragment before the next LF silently', () => {
    const { s, lines, drops } = splitter();
    s.skipToNextLine();
    s.push(b('of-a-line\nwhole\n'));
    expect(lines).toEqual(['whole']);
    expect(drops).toEqual([]);
    expect(s.committedBytes).toBe(16);
  });

  it('strips a UTF-8 byte-order mark at the start of a line', () => {
    const { s, lines } = splitter();
    s.push(b('\uFEFF{"a":1}\n'));
    expect(lines).toEqual(['{"a":1}']);
  });

  it('does not keep references to the caller’s (reused) read buffer', () => {
    const { s, lines } = splitter();
    const buf = Buffer.alloc(4);
    buf.write('abcd');
    s.push(buf);
    buf.write('\nzzz');
    s.push(buf.subarray(0, 1));
    expect(lines).toEqual(['abcd']);
  });

  it('refuses a non-positive maxLineBytes', () => {
    expect(() => new LineSplitter(0, { line: () => undefined, dropped: () => undefined })).toThrow(RangeError);
  });
  it('hands on the lines and drops of one push inside the handler\'s read, once a push; end() outside', () => {
    const events: string[] = [];
    let inRead = false;
    const s = new LineSplitter(8, {
      line: (t) => events.push(`${inRead ? 'in' : 'out'}:${t}`),
      dropped: (r) => events.push(`${inRead ? 'in' : 'out'}:${r}`),
      read: (deliver) => {
        events.push('read');
        inRead = true;
        deliver();
        inRead = false;
      },
    });
    s.push(b('a\nbb\ncc'));
    s.push(b('c\n'));
    s.push(b('0123456789\nd\ne'));
    s.end();
    expect(events).toEqual(['read', 'in:a', 'in:bb', 'read', 'in:ccc', 'read', 'in:too_long', 'in:d', 'out:e']);
  });
});
