/**
 * The heartbeat (pair expiry and the event-loop delay sample) beats every second while anything
 * moves and backs off to 5 s while idle, returning to 1 s at the first beat after a line, a tick or
 * a waiting pairing half; the delay it records is measured against the interval it was due after.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_MS, Heartbeat, IDLE_HEARTBEAT_MS } from '../../src/pipeline/heartbeat.js';

describe('heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('backs off to 5 s while idle and returns to 1 s when the state moves or halves wait', () => {
    let version = 0;
    let pending = 0;
    const beats: { at: number; due: number }[] = [];
    let expired = 0;
    const start = Date.now();
    const h = new Heartbeat({
      expire: () => void expired++,
      stateVersion: () => version,
      pending: () => pending,
      beat: (_now, due) => void beats.push({ at: Date.now() - start, due }),
    });
    vi.advanceTimersByTime(1000);
    // The first beat has nothing to compare with: not idle.
    expect(beats).toEqual([{ at: 1000, due: HEARTBEAT_MS }]);
    vi.advanceTimersByTime(1000);
    // Nothing moved since the first beat: the next is 5 s away.
    expect(beats.at(-1)).toEqual({ at: 2000, due: HEARTBEAT_MS });
    vi.advanceTimersByTime(4999);
    expect(beats).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(beats.at(-1)).toEqual({ at: 7000, due: IDLE_HEARTBEAT_MS });
    // A line is read: the beat after it is 1 s later again.
    version++;
    vi.advanceTimersByTime(5000);
    expect(beats.at(-1)).toEqual({ at: 12000, due: IDLE_HEARTBEAT_MS });
    vi.advanceTimersByTime(1000);
    expect(beats.at(-1)).toEqual({ at: 13000, due: HEARTBEAT_MS });
    // Idle again, then a half waits to be paired: from the next beat on, expiry runs every second.
    vi.advanceTimersByTime(5000);
    expect(beats.at(-1)).toEqual({ at: 18000, due: IDLE_HEARTBEAT_MS });
    pending = 1;
    vi.advanceTimersByTime(5000);
    expect(beats.at(-1)).toEqual({ at: 23000, due: IDLE_HEARTBEAT_MS });
    for (let i = 0; i < 5; i++) vi.advanceTimersByTime(1000);
    expect(beats.slice(-5).map((b) => b.due)).toEqual(Array(5).fill(HEARTBEAT_MS));
    expect(expired).toBe(beats.length);
    expect(h.idleBeats).toBe(4);
    h.stop();
    vi.advanceTimersByTime(60_000);
    expect(expired).toBe(beats.length);
  });
});
