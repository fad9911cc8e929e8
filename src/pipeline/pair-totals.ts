/**
 * Request/response pairing counts summed over every record mapper (one per source), per model:
 * what modelwatch_pending_pairs and modelwatch_unpaired_total expose.
 */
import type { RecordMapper } from '../records/mapper.js';

export type UnpairedCounts = Record<'expired' | 'unmatched_response' | 'evicted', number>;

export function* pendingByModel(mappers: readonly RecordMapper[]): Iterable<[string, number]> {
  const byModel = new Map<string, number>();
  for (const m of mappers) for (const [model, n] of m.pendingByModel()) byModel.set(model, (byModel.get(model) ?? 0) + n);
  yield* byModel;
}

export function* unpairedByModel(mappers: readonly RecordMapper[]): Iterable<[string, UnpairedCounts]> {
  const byModel = new Map<string, UnpairedCounts>();
  for (const m of mappers) {
    for (const [model, c] of m.pairStats()) {
      const sum = byModel.get(model) ?? { expired: 0, unmatched_response: 0, evicted: 0 };
      sum.expired += c.expired;
      sum.unmatched_response += c.unmatched_response;
      sum.evicted += c.evicted;
      byModel.set(model, sum);
    }
  }
  yield* byModel;
}
