import { describe, expect, it } from 'vitest';
import type { LabelRecord } from '../../src/records/model-record.js';
import { ManualClock } from '../../src/core/clock.js';
import { LabelJoiner, type LabelJoinerOptions, type LabelJoinerState, type PredictionInput } from '../../src/windows/label-join.js';

function prediction(requestId: string, timestamp = 1000, extra: Partial<PredictionInput> = {}): PredictionInput {
  return { requestId, model: 'churn', version: 'v1', prediction: 1, scores: [0.8], timestamp, ...extra };
}

function label(requestId: string, timestamp = 1030, extra: Partial<LabelRecord> = {}): LabelRecord {
  return { requestId, label: 1, timestamp, ...extra };
}

function setup(options: Partial<LabelJoinerOptions> = {}) {
  const clock = new ManualClock(1_000_000);
  const delays: number[] = [];
  const joiner = new LabelJoiner({ clock, onLabelDelay: (s) => delays.push(s), ...options });
  const outcomes = () => {
    const { byModel } = joiner.stats();
    return byModel.map(({ model, version, joined, unmatched, expiredPrediction, duplicate }) => ({
      key: `${model}/${version}`,
      joined,
      unmatched,
      expiredPrediction,
      duplicate,
    }));
  };
  return { clock, delays, joiner, outcomes };
}

describe('LabelJoiner', () => {
  it('joins a label to its stored prediction and reports the label delay in seconds', () => {
    const { joiner, delays, outcomes } = setup();
    expect(joiner.addPrediction(prediction('a', 1000, { segments: ['eu', 'mobile'] }))).toBeUndefined();
    const pair = joiner.addLabel(label('a', 1042.5));
    expect(pair).toMatchObject({
      requestId: 'a',
      model: 'churn',
      version: 'v1',
      prediction: 1,
      scores: [0.8],
      segments: ['eu', 'mobile'],
      label: 1,
      delaySeconds: 42.5,
    });
    expect(delays).toEqual([42.5]);
    expect(outcomes()).toEqual([{ key: 'churn/v1', joined: 1, unmatched: 0, expiredPrediction: 0, duplicate: 0 }]);
    expect(joiner.stats().pendingPredictions).toBe(0);
  });

  it('holds an early label for the grace period and joins when the prediction arrives', () => {
    const { joiner, clock, outcomes } = setup({ graceMs: 60_000 });
    expect(joiner.addLabel(label('b', 1001))).toBeUndefined();
    clock.advance(59_000);
    const pair = joiner.addPrediction(prediction('b', 1000));
    expect(pair?.label).toBe(1);
    expect(pair?.delaySeconds).toBe(1);
    expect(outcomes()[0]).toMatchObject({ joined: 1, unmatched: 0 });
  });

  it('counts an early label as unmatched once the grace period passes', () => {
    const { joiner, clock, outcomes } = setup({ graceMs: 60_000 });
    joiner.addLabel(label('c', 1001, { model: 'churn', version: 'v1' }));
    clock.advance(60_000);
    joiner.expire(clock.now());
    expect(joiner.stats().pendingLabels).toBe(0);
    expect(joiner.addPrediction(prediction('c'))).toBeUndefined();
    expect(outcomes()).toEqual([{ key: 'churn/v1', joined: 0, unmatched: 1, expiredPrediction: 0, duplicate: 0 }]);
  });

  it('expires predictions after the TTL, O(expired): only the old front is dropped', () => {
    const { joiner, clock, outcomes } = setup({ ttlMs: 10_000 });
    joiner.addPrediction(prediction('old1'));
    joiner.addPrediction(prediction('old2'));
    clock.advance(5_000);
    joiner.addPrediction(prediction('new'));
    clock.advance(5_000);
    joiner.expire(clock.now());
    expect(joiner.stats().pendingPredictions).toBe(1);
    expect(outcomes()[0]).toMatchObject({ expiredPrediction: 2 });
    expect(joiner.addLabel(label('new'))?.requestId).toBe('new');
    expect(joiner.addLabel(label('old1'))).toBeUndefined(); // waits as an early label now
  });

  it('evicts the oldest prediction when full, counted as expired_prediction', () => {
    const { joiner, outcomes } = setup({ maxEntries: 3 });
    for (const id of ['p1', 'p2', 'p3', 'p4']) joiner.addPrediction(prediction(id));
    expect(joiner.stats().pendingPredictions).toBe(3);
    expect(outcomes()[0]).toMatchObject({ expiredPrediction: 1 });
    expect(joiner.addLabel(label('p1'))).toBeUndefined();
    expect(joiner.addLabel(label('p4'))).toBeDefined();
  });

  it('bounds the early-label buffer: the oldest waiting label is dropped as unmatched', () => {
    const { joiner, outcomes } = setup({ maxEarlyLabels: 2 });
    for (const id of ['l1', 'l2', 'l3']) joiner.addLabel(label(id));
    expect(joiner.stats().pendingLabels).toBe(2);
    expect(outcomes()).toEqual([{ key: 'unknown/unknown', joined: 0, unmatched: 1, expiredPrediction: 0, duplicate: 0 }]);
    expect(joiner.addPrediction(prediction('l1'))).toBeUndefined();
    expect(joiner.addPrediction(prediction('l3'))).toBeDefined();
  });

  it('ignores and counts duplicates of predictions and labels', () => {
    const { joiner, outcomes } = setup();
    joiner.addPrediction(prediction('d', 1000, { prediction: 0 }));
    joiner.addPrediction(prediction('d', 1000, { prediction: 1 })); // duplicate prediction, first kept
    expect(joiner.addLabel(label('d'))?.prediction).toBe(0);
    expect(joiner.addLabel(label('d', 1031, { model: 'churn', version: 'v1' }))).toBeUndefined(); // after join
    joiner.addPrediction(prediction('d')); // prediction again after join
    joiner.addLabel(label('e', 1000, { model: 'churn', version: 'v1' }));
    joiner.addLabel(label('e', 1000, { model: 'churn', version: 'v1' })); // while waiting early
    expect(outcomes()).toEqual([{ key: 'churn/v1', joined: 1, unmatched: 0, expiredPrediction: 0, duplicate: 4 }]);
  });

  it('keeps counts per (model, version)', () => {
    const { joiner, outcomes } = setup();
    joiner.addPrediction(prediction('x', 1000, { version: 'v2' }));
    joiner.addPrediction(prediction('y', 1000));
    joiner.addLabel(label('x'));
    joiner.addLabel(label('y'));
    expect(outcomes().map((o) => [o.key, o.joined])).toEqual([
      ['churn/v2', 1],
      ['churn/v1', 1],
    ]);
  });

  it('floors a negative label delay (clock skew) at 0', () => {
    const { joiner, delays } = setup();
    joiner.addPrediction(prediction('s', 2000));
    expect(joiner.addLabel(label('s', 1990))?.delaySeconds).toBe(0);
    expect(delays).toEqual([0]);
  });

  it('rejects non-positive limits at construction', () => {
    const clock = new ManualClock();
    expect(() => new LabelJoiner({ clock, maxEntries: 0 })).toThrow(RangeError);
    expect(() => new LabelJoiner({ clock, graceMs: -1 })).toThrow(RangeError);
  });

  describe('across a restart (snapshot → JSON → restore)', () => {
    const restart = (from: LabelJoiner, options: Partial<LabelJoinerOptions> = {}, clock = new ManualClock(1_000_000)) => {
      const saved = JSON.parse(JSON.stringify(from.snapshot())) as unknown;
      const delays: number[] = [];
      const joiner = new LabelJoiner({ clock, onLabelDelay: (s) => delays.push(s), ...options });
      joiner.restore(saved);
      return { joiner, delays, clock };
    };

    it('a label after the restart joins its prediction from before it, with everything it carried', () => {
      const { joiner } = setup();
      joiner.addPrediction(prediction('a', 1000, { segments: ['eu', 'mobile'], scores: [0.3, 0.7], prediction: 'yes' }));
      joiner.addPrediction(prediction('b', 1001, { model: 'fraud', version: 'v9', prediction: null, scores: undefined }));
      const after = restart(joiner);
      expect(after.joiner.stats()).toMatchObject({ pendingPredictions: 2, pendingLabels: 0 });
      expect(after.joiner.addLabel(label('a', 1042.5))).toMatchObject({
        requestId: 'a',
        model: 'churn',
        version: 'v1',
        prediction: 'yes',
        scores: [0.3, 0.7],
        segments: ['eu', 'mobile'],
        predictionTimestamp: 1000,
        delaySeconds: 42.5,
      });
      expect(after.joiner.addLabel(label('b', 1001))).toMatchObject({ model: 'fraud', version: 'v9', prediction: null, scores: undefined, segments: undefined });
      expect(after.delays).toEqual([42.5, 0]);
      // Outcome counts start at zero: the exposition carries the counter over, not the snapshot.
      expect(after.joiner.stats().byModel.map((o) => [o.model, o.joined, o.unmatched])).toEqual([
        ['churn', 1, 0],
        ['fraud', 1, 0],
      ]);
    });

    it('an early label waiting at the crash joins the prediction that comes after it', () => {
      const { joiner } = setup();
      joiner.addLabel(label('e', 1005));
      const after = restart(joiner);
      expect(after.joiner.stats().pendingLabels).toBe(1);
      expect(after.joiner.addPrediction(prediction('e', 1000))?.delaySeconds).toBe(5);
    });

    it('joined ids still catch duplicates after the restart', () => {
      const { joiner } = setup();
      joiner.addPrediction(prediction('d'));
      joiner.addLabel(label('d'));
      const after = restart(joiner);
      expect(after.joiner.addLabel(label('d', 1040, { model: 'churn', version: 'v1' }))).toBeUndefined();
      expect(after.joiner.addPrediction(prediction('d'))).toBeUndefined();
      expect(after.joiner.stats().byModel[0]).toMatchObject({ duplicate: 2, joined: 0 });
    });

    it('keeps insertion order and arrival times: eviction and TTL go on as without the restart', () => {
      const { joiner, clock } = setup({ maxEntries: 3, ttlMs: 10_000 });
      joiner.addPrediction(prediction('p1'));
      clock.advance(4_000);
      joiner.addPrediction(prediction('p2'));
      joiner.addPrediction(prediction('p3'));
      joiner.addLabel(label('p2'));
      joiner.addPrediction(prediction('p2b'));
      const after = restart(joiner, { maxEntries: 3, ttlMs: 10_000 }, new ManualClock(clock.now()));
      after.clock.advance(1_000);
      after.joiner.addPrediction(prediction('p4')); // full: evicts p1, the oldest
      expect(after.joiner.addLabel(label('p1'))).toBeUndefined();
      after.clock.advance(9_000); // p3 and p2b arrived 10 s ago now, p4 9 s ago
      after.joiner.expire(after.clock.now());
      expect(after.joiner.stats().pendingPredictions).toBe(1);
      expect(after.joiner.addLabel(label('p4'))?.requestId).toBe('p4');
      expect(after.joiner.stats().byModel[0]).toMatchObject({ expiredPrediction: 3, joined: 1 });
    });

    it('a smaller store after a config change keeps the newest and counts the rest as expired', () => {
      const { joiner } = setup();
      for (const id of ['q1', 'q2', 'q3', 'q4']) joiner.addPrediction(prediction(id));
      const after = restart(joiner, { maxEntries: 2 });
      expect(after.joiner.stats().pendingPredictions).toBe(2);
      expect(after.joiner.stats().byModel[0]).toMatchObject({ expiredPrediction: 2 });
      expect(after.joiner.addLabel(label('q4'))).toBeDefined();
      expect(after.joiner.addLabel(label('q2'))).toBeUndefined();
    });

    it('refuses a damaged state whole and stays as it was', () => {
      const { joiner } = setup();
      joiner.addPrediction(prediction('z1'));
      joiner.addPrediction(prediction('z2'));
      const saved = JSON.parse(JSON.stringify(joiner.snapshot())) as LabelJoinerState;
      const target = setup().joiner;
      const int32 = (...xs: number[]) => Buffer.from(Int32Array.from(xs).buffer).toString('base64');
      expect(() => target.restore({ ...saved, predictions: { ...saved.predictions, model: int32(0) } })).toThrow(/does not fit: Int32Array/);
      expect(() => target.restore({ ...saved, predictions: { ...saved.predictions, model: int32(0, 5) } })).toThrow(/no id or model/);
      expect(() => target.restore({ ...saved, predictions: { ...saved.predictions, segment: int32(0, -1) } })).toThrow(/segment tuple 0 of 0/);
      expect(() => target.restore({ ...saved, predictions: { ...saved.predictions, scoreCounts: int32(1, 2) } })).toThrow(/lists 3 scores, holds 2/);
      expect(() => target.restore({ ...saved, predictions: { ...saved.predictions, timestamps: 'AAAA' } })).toThrow(/does not fit/);
      expect(() => target.restore({ ...saved, earlyLabels: { labels: [{ requestId: 3 }], arrivedAtMs: '' } })).toThrow(/label records/);
      expect(() => target.restore('nonsense')).toThrow(/no models/);
      expect(target.stats()).toMatchObject({ pendingPredictions: 0, pendingLabels: 0, byModel: [] });
    });
  });
});
