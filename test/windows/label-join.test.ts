import { describe, expect, it } from 'vitest';
import type { LabelRecord } from '../../src/records/model-record.js';
import { ManualClock } from '../../src/windows/clock.js';
import { LabelJoiner, type LabelJoinerOptions, type PredictionInput } from '../../src/windows/label-join.js';

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
});
