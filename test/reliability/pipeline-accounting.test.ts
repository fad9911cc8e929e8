/**
 * Fuzzing the pipeline: whatever bytes a log holds, nothing throws out of it and every line is
 * either delivered as a record, waiting for its other half, or counted under a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configSchema, formatSchema } from '../../src/config/schema.js';
import { createRecordMapper } from '../../src/records/mapper.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { RecordStream } from '../../src/records/record-stream.js';
import { SourceStatsTable } from '../../src/records/source-stats.js';
import { ManualClock } from '../../src/core/clock.js';

function pipeline(preset: 'generic' | 'kserve' | 'open-inference-v2') {
  const config = configSchema.parse({});
  const mapper = createRecordMapper(formatSchema.parse({ preset }), { defaults: { model: 'm', version: 'v' }, pairing: config.pairing, clock: new ManualClock(0) });
  const stats = new SourceStatsTable();
  const records: ModelRecord[] = [];
  const stream = new RecordStream(mapper, 'records', { record: (r) => records.push(r), label: () => undefined }, stats);
  return { stream, stats, records, mapper };
}

const line = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc.record({
    model: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)),
    features: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.double(), fc.string({ maxLength: 8 }), fc.constant(null))), fc.array(fc.double()), fc.string()),
    latency_ms: fc.oneof(fc.double(), fc.string({ maxLength: 6 })),
    status: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })),
    timestamp: fc.oneof(fc.integer(), fc.string({ maxLength: 30 }), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString()))),
  }).map((o) => JSON.stringify(o)),
);

describe('pipeline accounting under random input', () => {
  for (const preset of ['generic', 'kserve', 'open-inference-v2'] as const) {
    it(`${preset}: every line is a record, pending, or counted under a reason`, () => {
      fc.assert(
        fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
          const { stream, stats, records } = pipeline(preset);
          let pending = 0;
          for (const l of lines) {
            const before = { records: records.length, errors: stats.for('s').errorCount() };
            stream.line(l, 's');
            const delivered = records.length - before.records;
            const errored = stats.for('s').errorCount() - before.errors;
            // One line gives records (a batch may give several), or one error, or waits for its pair.
            expect(delivered > 0 && errored > 0).toBe(false);
            if (delivered === 0 && errored === 0) pending++;
            if (errored > 1) throw new Error(`one line counted ${errored} times`);
          }
          const s = stats.for('s');
          expect(s.lines).toBe(lines.length);
          if (preset === 'generic') expect(pending).toBe(0);
          for (const reason of s.errors.keys()) expect(reason).toMatch(/^[a-z0-9_]+$/);
        }),
        { numRuns: 150 },
      );
    });
  }
});
