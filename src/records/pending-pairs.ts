/**
 * Requests and responses logged separately wait here, by request id, for their other half.
 *
 * Whichever half arrives first is kept, so a response written before its request (two log
 * writers, or two CloudEvents racing) still pairs. Each half waits at most `ttl` seconds of the
 * injected clock; a FifoMap keeps insertion order, and every entry gets the same TTL, so the oldest
 * entries are at the front and `expire` stops at the first live one: O(expired), not O(pending).
 * At `maxPending` the oldest entry is evicted to make room, so memory stays bounded under a flood
 * of unanswered requests.
 *
 * Counters are plain numbers per model, read by the self-metrics at scrape time:
 * - pending: halves waiting now
 * - expired: requests whose response never came within the TTL
 * - unmatched_response: responses whose request never came within the TTL
 * - evicted: halves dropped to stay within `maxPending`
 * A second half of the same kind under a pending id replaces the first, which is counted as
 * expired (request) or unmatched_response (response): the retry is the one its answer belongs to.
 */
import type { Clock } from '../core/clock.js';
import { detached } from '../core/detached.js';
import { FifoMap } from '../core/fifo-map.js';

export type HalfKind = 'request' | 'response';

export interface PairCounters {
  pending: number;
  unmatched_response: number;
  expired: number;
  evicted: number;
}

export interface Pair<Req, Res> {
  request: Req;
  response: Res;
}

interface Entry<Req, Res> {
  kind: HalfKind;
  value: Req | Res;
  model: string;
  deadlineMs: number;
}

export interface PendingPairsOptions {
  /** Seconds a half waits for its other half. */
  ttl: number;
  maxPending: number;
  clock: Clock;
}

export class PendingPairs<Req, Res> {
  private readonly entries = new FifoMap<Entry<Req, Res>>();
  private readonly counters = new Map<string, PairCounters>();

  constructor(private readonly opts: PendingPairsOptions) {}

  get size(): number {
    return this.entries.size;
  }

  offerRequest(key: string, model: string, request: Req): Pair<Req, Res> | undefined {
    const other = this.offer('request', key, model, request);
    return other === undefined ? undefined : { request, response: other as Res };
  }

  offerResponse(key: string, model: string, response: Res): Pair<Req, Res> | undefined {
    const other = this.offer('response', key, model, response);
    return other === undefined ? undefined : { request: other as Req, response };
  }

  /** Drops halves whose deadline has passed; returns how many. Also run on every offer. */
  expire(nowMs: number): number {
    let dropped = 0;
    for (let e = this.entries.oldest(); e && e[1].deadlineMs <= nowMs; e = this.entries.oldest()) {
      this.remove(e[0], e[1], e[1].kind === 'request' ? 'expired' : 'unmatched_response');
      dropped++;
    }
    return dropped;
  }

  /** Per model; models seen once keep their counters (they are cumulative). */
  stats(): ReadonlyMap<string, Readonly<PairCounters>> {
    return this.counters;
  }

  /** Returns the other half when this one completes a pair, else keeps this one. */
  private offer(kind: HalfKind, key: string, model: string, value: Req | Res): Req | Res | undefined {
    const now = this.opts.clock.now();
    this.expire(now);
    const waiting = this.entries.get(key);
    if (waiting !== undefined) {
      if (waiting.kind !== kind) {
        this.remove(key, waiting);
        return waiting.value;
      }
      this.remove(key, waiting, kind === 'request' ? 'expired' : 'unmatched_response');
    }
    if (this.entries.size >= this.opts.maxPending) this.evictOldest();
    this.entries.set(detached(key), { kind, value, model, deadlineMs: now + this.opts.ttl * 1000 });
    this.countersFor(model).pending++;
    return undefined;
  }

  private evictOldest(): void {
    const oldest = this.entries.oldest();
    if (oldest) this.remove(oldest[0], oldest[1], 'evicted');
  }

  private remove(key: string, entry: Entry<Req, Res>, outcome?: 'expired' | 'unmatched_response' | 'evicted'): void {
    this.entries.delete(key);
    const counters = this.countersFor(entry.model);
    counters.pending--;
    if (outcome !== undefined) counters[outcome]++;
  }

  private countersFor(model: string): PairCounters {
    let c = this.counters.get(model);
    if (c === undefined) {
      c = { pending: 0, unmatched_response: 0, expired: 0, evicted: 0 };
      this.counters.set(model, c);
    }
    return c;
  }
}
