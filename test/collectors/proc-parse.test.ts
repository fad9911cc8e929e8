import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBootTime, parseProcIo, parseProcStat, parseProcStatus } from '../../src/collectors/proc-parse.js';
import { FIXTURES } from './helpers.js';

// A real line from this kernel (6.18) for `cat`.
const CAT_STAT =
  '14143 (cat) R 14141 14141 5941 0 -1 4194304 98 0 0 0 0 0 0 0 20 0 1 0 67215 3133440 379 18446744073709551615 94728840433664 94728840453545 140729262660400 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 94728840469552 94728840471168 94729157328896 140729262668515 140729262668535 140729262668535 140729262669803 0';

describe('parseProcStat', () => {
  it('reads the fields proc(5) numbers', () => {
    const s = parseProcStat(readFileSync(`${FIXTURES}proc/4242/stat`, 'utf8'));
    expect(s).toMatchObject({
      pid: 4242, comm: 'python3', state: 'S', ppid: 1, utimeTicks: 12000, stimeTicks: 3000, cutimeTicks: 500,
      cstimeTicks: 100, numThreads: 24, startTimeTicks: 50000, vsizeBytes: 16777216 * 1024, rssPages: 524288,
    });
  });

  it('reads a real line from this kernel', () => {
    expect(parseProcStat(CAT_STAT)).toMatchObject({ pid: 14143, comm: 'cat', ppid: 14141, numThreads: 1, startTimeTicks: 67215, vsizeBytes: 3133440 });
  });

  it('splits after the last parenthesis, so a comm with spaces and parentheses is kept whole', () => {
    const line = CAT_STAT.replace('(cat)', '(my (odd) name)');
    const s = parseProcStat(line);
    expect(s.comm).toBe('my (odd) name');
    expect(s.ppid).toBe(14141);
    expect(s.startTimeTicks).toBe(67215);
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('hello')).toThrow(/not a \/proc\/PID\/stat/);
    expect(() => parseProcStat('1 (x) S 0 1')).toThrow(/fields/);
  });
});

describe('parseProcStatus', () => {
  it('turns kB into bytes and reads threads', () => {
    const s = parseProcStatus(readFileSync(`${FIXTURES}proc/4250/status`, 'utf8'));
    expect(s).toEqual({ name: 'pt_main_thread', vmRssBytes: 1048576 * 1024, vmSizeBytes: 33554432 * 1024, vmSwapBytes: 1024 * 1024, threads: 40 });
  });

  it('leaves memory undefined for a kernel thread, which has none', () => {
    expect(parseProcStatus('Name:\tkworker/0:1\nState:\tI (idle)\nThreads:\t1\n')).toEqual({ name: 'kworker/0:1', threads: 1 });
  });
});

describe('parseProcIo', () => {
  it('reads storage and syscall byte counts', () => {
    expect(parseProcIo('rchar: 6976\nwchar: 10\nsyscr: 10\nsyscw: 0\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n')).toEqual({
      rchar: 6976, wchar: 10, readBytes: 4096, writeBytes: 8192, cancelledWriteBytes: 0,
    });
  });

  it('says which field is missing', () => {
    expect(() => parseProcIo('rchar: 1\n')).toThrow(/wchar/);
  });
});

describe('parseBootTime', () => {
  it('reads btime', () => {
    expect(parseBootTime(readFileSync(`${FIXTURES}proc/stat`, 'utf8'))).toBe(1700000000);
    expect(() => parseBootTime('cpu 1 2 3\n')).toThrow(/btime/);
  });
});
