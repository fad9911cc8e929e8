import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollLoop } from '../../src/sources/poll-loop.js';

describe('PollLoop', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  function loop(notified: boolean, onPoll: () => void = () => undefined) {
    let polls = 0;
    const l = new PollLoop(
      250,
      async () => {
        polls++;
        onPoll();
      },
      () => undefined,
      undefined,
      () => notified,
      5000,
    );
    l.start();
    return { l, polls: () => polls };
  }

  it('without notifications polls every interval', async () => {
    const { l, polls } = loop(false);
    await vi.advanceTimersByTimeAsync(2600);
    expect(polls()).toBe(10);
    l.stop();
  });

  it('with notifications polls once, then only after a change (interval apart) or at the safety interval', async () => {
    const { l, polls } = loop(true);
    await vi.advanceTimersByTimeAsync(260);
    expect(polls()).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(polls()).toBe(1);
    l.wake();
    l.wake();
    await vi.advanceTimersByTimeAsync(10);
    expect(polls()).toBe(2);
    // A burst of changes right after a poll waits for the interval: no more than one poll per 250 ms.
    l.wake();
    await vi.advanceTimersByTimeAsync(200);
    expect(polls()).toBe(2);
    await vi.advanceTimersByTimeAsync(60);
    expect(polls()).toBe(3);
    // Nothing notified: the safety poll comes 5 s after the last one.
    await vi.advanceTimersByTimeAsync(4900);
    expect(polls()).toBe(3);
    await vi.advanceTimersByTimeAsync(200);
    expect(polls()).toBe(4);
    l.stop();
  });

  it('a change notified during a poll is polled for after the interval', async () => {
    const started: { loop?: PollLoop } = {};
    let first = true;
    const r = loop(true, () => {
      if (first) started.loop?.wake();
      first = false;
    });
    started.loop = r.l;
    await vi.advanceTimersByTimeAsync(260);
    expect(r.polls()).toBe(1);
    await vi.advanceTimersByTimeAsync(260);
    expect(r.polls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.polls()).toBe(2);
    r.l.stop();
  });

  it('now() polls at once when a change was notified, not when none was, and the timer then waits for the next change', async () => {
    const { l, polls } = loop(true);
    // Before the first poll a change is assumed (the files may hold lines already).
    await l.now();
    expect(polls()).toBe(1);
    await l.now();
    expect(polls()).toBe(1);
    // The timer's poll finds the change already read: it waits for the next one (or the safety poll).
    await vi.advanceTimersByTimeAsync(3000);
    expect(polls()).toBe(1);
    l.wake();
    await l.now();
    expect(polls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(polls()).toBe(2);
    l.stop();
    l.wake();
    await l.now();
    expect(polls()).toBe(2);
  });

  it('now() without notifications always polls (nothing says whether there is anything to read)', async () => {
    const { l, polls } = loop(false);
    await l.now();
    await l.now();
    expect(polls()).toBe(2);
    l.stop();
  });
});
