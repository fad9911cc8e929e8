import { describe, expect, it } from 'vitest';
import { CaptureArena, captureArray } from '../../src/core/capture-arena.js';
import { ManualClock } from '../../src/core/clock.js';
import { streamed } from '../helpers/streamed-json.js';
import { LabelJoiner } from '../../src/windows/label-join.js';
import type { PredictionInput } from '../../src/windows/join-types.js';

const b64 = (a: Float64Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Ids of every packing kind: UUIDs (lower, upper, digits only), short ids JSON escapes or encodes on two bytes, long ids. */
const IDS = [
  '0f8fad5b-d9cb-469f-a165-70867728950e',
  '7C9E6679-7425-40DE-944B-E07FC1F90AE7',
  '12345678-1234-1234-1234-123456789012',
  'req-00000001',
  'q"uote\\',
  'caf\u00e9',
  'tab\there',
  'a-request-id-longer-than-sixteen-characters',
  '\u{1f600}-emoji',
  '',
];

function input(requestId: string, i: number): PredictionInput {
  const prediction = [1.5, 'yes', null, undefined, 0.5, 7][i % 6];
  return { requestId, model: i % 3 === 0 ? 'fraud' : 'churn', version: 'v1', prediction, scores: i % 4 === 0 ? [0.25, 0.75] : undefined, segments: i % 5 === 0 ? ['eu', `s${i % 2}`] : undefined, timestamp: 1000 + i / 8 };
}

describe('LabelJoiner snapshot, streamed', () => {
  it('writes the same bytes when captured in arena memory a larger capture left written (its copies are not zeroed first)', async () => {
    const clock = new ManualClock(1_000_000);
    const joiner = new LabelJoiner({ clock });
    const all = [...IDS, ...Array.from({ length: 2000 }, (_, i) => `r${i}`)];
    all.forEach((id, i) => {
      clock.advance(1);
      joiner.addPrediction(input(id, i));
    });
    for (let i = 0; i < all.length; i += 3) joiner.addLabel({ requestId: all[i], label: 1, timestamp: 2000 });
    const plain = JSON.stringify(joiner.snapshot());
    const arena = new CaptureArena();
    // A previous capture's bytes in every block: what a stale byte would show.
    arena.begin();
    captureArray(Uint8Array, 3 << 20).fill(0xa5);
    arena.end();
    arena.begin();
    const captured = joiner.snapshot();
    arena.end();
    expect(await streamed(captured, 4096)).toBe(plain);
  });

  it('writes the same file the earlier format did (ids as strings, columns as base64), in insertion order after joins reused rows', async () => {
    const clock = new ManualClock(1_000_000);
    const joiner = new LabelJoiner({ clock });
    const all = [...IDS, ...Array.from({ length: 3000 }, (_, i) => `r${i}`)];
    all.forEach((id, i) => {
      clock.advance(1);
      joiner.addPrediction(input(id, i));
    });
    // Labels free rows in the middle; later predictions take those rows again, so row order ≠ age.
    for (let i = 0; i < all.length; i += 7) joiner.addLabel({ requestId: all[i], label: 1, timestamp: 2000 });
    const later = Array.from({ length: 200 }, (_, i) => `late-${i}`);
    later.forEach((id, i) => joiner.addPrediction(input(id, i + 1)));

    const waiting = [...all.filter((_, i) => i % 7 !== 0), ...later];
    const inputs = new Map([...all.map((id, i) => [id, input(id, i)] as const), ...later.map((id, i) => [id, input(id, i + 1)] as const)]);
    const snapshot = joiner.snapshot();
    for (const size of [64, 4096, 1 << 20]) {
      const text = await streamed(snapshot, size);
      expect(text).toBe(JSON.stringify(snapshot));
      const saved = JSON.parse(text);
      // What the previous version wrote, built here from the inputs.
      expect(saved.predictions.ids).toEqual(waiting);
      expect(saved.predictions.values).toEqual(waiting.map((id) => inputs.get(id)!.prediction ?? null));
      expect(saved.predictions.timestamps).toBe(b64(Float64Array.from(waiting, (id) => inputs.get(id)!.timestamp)));
      expect(saved.predictions.scoreCounts).toBe(b64(Int32Array.from(waiting, (id) => inputs.get(id)!.scores?.length ?? -1)));
      expect(saved.predictions.scoreValues).toBe(b64(Float64Array.from(waiting.flatMap((id) => inputs.get(id)!.scores ?? []))));
      expect(saved.models).toEqual([
        ['churn', 'v1'],
        ['fraud', 'v1'],
      ]);
    }

    // Restored from the streamed file, and from the snapshot in memory: every waiting prediction joins with what it carried.
    for (const saved of [JSON.parse(await streamed(snapshot, 4096)), snapshot]) {
      const restored = new LabelJoiner({ clock: new ManualClock(1_000_000) });
      restored.restore(saved);
      expect(restored.stats().pendingPredictions).toBe(waiting.length);
      for (const id of waiting) {
        const p = inputs.get(id)!;
        expect(restored.addLabel({ requestId: id, label: 0, timestamp: 3000 })).toMatchObject({ requestId: id, prediction: p.prediction ?? null, scores: p.scores, segments: p.segments, predictionTimestamp: p.timestamp });
      }
    }
  });

  it('holds its values as they were at the capture, whatever the joiner does before the write', async () => {
    const clock = new ManualClock(1_000_000);
    const joiner = new LabelJoiner({ clock });
    for (let i = 0; i < 100; i++) joiner.addPrediction(input(`id-${i}`, i));
    const snapshot = joiner.snapshot();
    const before = JSON.stringify(snapshot);
    // Rows freed and handed out again to other ids after the capture.
    for (let i = 0; i < 50; i++) joiner.addLabel({ requestId: `id-${i}`, label: 1, timestamp: 2000 });
    for (let i = 0; i < 50; i++) joiner.addPrediction(input(`new-${i}`, i + 3));
    expect(await streamed(snapshot, 256)).toBe(before);
  });
});
