/**
 * Pending pairs plus the join: a half either completes a pair (records appended, `ok`) or waits
 * (`pending`). Shared by the presets whose formats log requests and responses apart.
 */
import type { ModelRecord } from '../model-record.js';
import type { MapOutcome } from '../map-outcome.js';
import { PendingPairs, type PairCounters } from '../pending-pairs.js';
import { joinHalves, type RequestHalf, type ResponseHalf } from './inference-halves.js';
import type { PresetContext } from './preset.js';

export class HalfJoiner {
  private readonly pairs: PendingPairs<RequestHalf, ResponseHalf>;

  constructor(private readonly ctx: PresetContext) {
    this.pairs = new PendingPairs({ ttl: ctx.pairing.ttl, maxPending: ctx.pairing.max_pending, clock: ctx.clock });
  }

  /** `key` identifies the call (the request id, plus whatever scopes it); `requestId` goes on the records. */
  request(key: string, requestId: string, half: RequestHalf, out: ModelRecord[]): MapOutcome {
    const pair = this.pairs.offerRequest(key, half.model ?? this.ctx.defaults.model, half);
    return pair === undefined ? 'pending' : joinHalves(requestId, pair.request, pair.response, this.ctx.defaults, out);
  }

  response(key: string, requestId: string, half: ResponseHalf, out: ModelRecord[]): MapOutcome {
    const pair = this.pairs.offerResponse(key, half.model ?? this.ctx.defaults.model, half);
    return pair === undefined ? 'pending' : joinHalves(requestId, pair.request, pair.response, this.ctx.defaults, out);
  }

  expire(nowMs: number): void {
    this.pairs.expire(nowMs);
  }

  stats(): ReadonlyMap<string, Readonly<PairCounters>> {
    return this.pairs.stats();
  }
}
