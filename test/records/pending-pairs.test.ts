import { describe, expect, it } from 'vitest';
import { PendingPairs } from '../../src/records/pending-pairs.js';
import { ManualClock } from '../../src/core/clock.js';

function pairs(maxPending = 100, ttl = 10) {
  const clock = new ManualClock(1_000_000);
  return { clock, pairs: new PendingPairs<string, string>({ ttl, maxPending, clock }) };
}

describe('PendingPairs', () => {
  it('joins a request and its response, in either order', () => {
    const { pairs: p } = pairs();
    expect(p.offerRequest('a', 'm', 'req-a')).toBeUndefined();
    expect(p.stats().get('m')?.pending).toBe(1);
    expect(p.offerResponse('a', 'm', 'res-a')).toEqual({ request: 'req-a', response: 'res-a' });
    expect(p.offerResponse('b', 'm', 'res-b')).toBeUndefined();
    expect(p.offerRequest('b', 'm', 'req-b')).toEqual({ request: 'req-b', response: 'res-b' });
    expect(p.size).toBe(0);
    expect(p.stats().get('m')).toEqual({ pending: 0, unmatched_response: 0, expired: 0, evicted: 0 });
  });

  it('expires requests and responses after the TTL, counting each kind', () => {
    const { clock, pairs: p } = pairs(100, 10);
    p.offerRequest('r1', 'm', 'req');
    clock.advance(5_000);
    p.offerResponse('x1', 'm', 'res');
    clock.advance(4_999);
    expect(p.expire(clock.now())).toBe(0);
    clock.advance(1);
    expect(p.expire(clock.now())).toBe(1);
    expect(p.stats().get('m')).toEqual({ pending: 1, unmatched_response: 0, expired: 1, evicted: 0 });
    clock.advance(5_000);
    expect(p.expire(clock.now())).toBe(1);
    expect(p.stats().get('m')).toEqual({ pending: 0, unmatched_response: 1, expired: 1, evicted: 0 });
  });

  it('does not pair with a half that expired before the other arrived', () => {
    const { clock, pairs: p } = pairs(100, 10);
    p.offerRequest('r', 'm', 'req');
    clock.advance(10_001);
    // No explicit expire(): offering sweeps first.
    expect(p.offerResponse('r', 'm', 'late')).toBeUndefined();
    expect(p.stats().get('m')).toMatchObject({ pending: 1, expired: 1 });
  });

  it('evicts the oldest half at maxPending and counts it under its own model', () => {
    const { pairs: p } = pairs(3);
    p.offerRequest('1', 'old', 'a');
    p.offerRequest('2', 'm', 'b');
    p.offerResponse('3', 'm', 'c');
    p.offerRequest('4', 'm', 'd');
    expect(p.size).toBe(3);
    expect(p.stats().get('old')).toEqual({ pending: 0, unmatched_response: 0, expired: 0, evicted: 1 });
    expect(p.stats().get('m')?.pending).toBe(3);
    expect(p.offerResponse('1', 'old', 'late')).toBeUndefined();
    expect(p.offerResponse('4', 'm', 'res-d')).toEqual({ request: 'd', response: 'res-d' });
  });

  it('replaces a duplicate half of the same kind and counts the one it replaced', () => {
    const { pairs: p } = pairs();
    p.offerRequest('r', 'm', 'first');
    p.offerRequest('r', 'm', 'retry');
    p.offerResponse('s', 'm', 'res1');
    p.offerResponse('s', 'm', 'res2');
    expect(p.stats().get('m')).toEqual({ pending: 2, unmatched_response: 1, expired: 1, evicted: 0 });
    expect(p.offerResponse('r', 'm', 'answer')).toEqual({ request: 'retry', response: 'answer' });
  });

  it('expires in arrival order, up to the first live half', () => {
    const { clock, pairs: p } = pairs(10_000, 10);
    for (let i = 0; i < 1000; i++) {
      p.offerRequest(`k${i}`, 'm', 'v');
      clock.advance(10);
    }
    // Now the first entry has 10 s of age left minus 1000 × 10 ms = 0: exactly its deadline.
    expect(p.expire(clock.now())).toBe(1);
    clock.advance(95);
    expect(p.expire(clock.now())).toBe(9);
    expect(p.size).toBe(990);
  });
});
