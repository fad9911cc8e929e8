import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSchema } from '../../src/config/schema.js';
import { MAP_ERROR_REASONS, createRecordMapper } from '../../src/records/mapper.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { ManualClock } from '../../src/core/clock.js';
import { DEFAULTS, NOW_MS, harness } from './mapper-harness.js';

const PRESETS = ['generic', 'kserve', 'open-inference-v2'] as const;

describe('createRecordMapper', () => {
  it('fails at construction on a malformed field path', () => {
    const format = formatSchema.parse({ fields: { features: 'a..b' } });
    expect(() => createRecordMapper(format, { defaults: DEFAULTS, pairing: { ttl: 1, max_pending: 1 }, clock: new ManualClock() })).toThrow(
      /empty segment/,
    );
  });

  it('has no pairing state for the generic preset', () => {
    const { mapper, map } = harness({});
    map({ features: { a: 1 } });
    expect(mapper.pairStats().size).toBe(0);
    expect([...mapper.pendingByModel()]).toEqual([]);
  });
});

describe('mapLabel', () => {
  it('reads id, label and timestamp through the configured fields', () => {
    const { mapper } = harness({ fields: { request_id: 'rid', label: 'truth.value', timestamp: 'at' } });
    expect(mapper.mapLabel({ rid: 'r-1', truth: { value: 'fraud' }, at: '2024-05-15T08:00:00Z', model: 'm', model_version: 2 })).toEqual({
      requestId: 'r-1',
      label: 'fraud',
      timestamp: 1715760000,
      model: 'm',
      version: '2',
    });
  });

  it('takes now for a missing timestamp and 1/0 for boolean labels', () => {
    const { mapper } = harness({});
    expect(mapper.mapLabel({ request_id: 7, label: true })).toEqual({ requestId: '7', label: 1, timestamp: NOW_MS / 1000 });
    expect(mapper.mapLabel({ request_id: 'x', label: 0 })).toMatchObject({ label: 0 });
  });

  it('gives short reasons for labels it cannot use', () => {
    const { mapper } = harness({});
    expect(mapper.mapLabel('x')).toEqual({ error: 'not_object' });
    expect(mapper.mapLabel({ label: 1 })).toEqual({ error: 'missing_request_id' });
    expect(mapper.mapLabel({ request_id: 'a' })).toEqual({ error: 'missing_label' });
    expect(mapper.mapLabel({ request_id: 'a', label: null })).toEqual({ error: 'missing_label' });
    expect(mapper.mapLabel({ request_id: 'a', label: 1, timestamp: 'soon' })).toEqual({ error: 'bad_timestamp' });
  });
});

/** Records a downstream analyzer can trust, whatever the input was. */
function checkRecord(r: ModelRecord): void {
  expect(Number.isFinite(r.timestamp)).toBe(true);
  expect(typeof r.model).toBe('string');
  expect(typeof r.version).toBe('string');
  expect(typeof r.features).toBe('object');
  for (const v of Object.values(r.features)) expect(['number', 'string', 'boolean', 'object']).toContain(typeof v);
  if (r.latencySeconds !== undefined) expect(r.latencySeconds).toBeGreaterThanOrEqual(0);
  if (r.scores !== undefined) expect(r.scores.every(Number.isFinite)).toBe(true);
}

describe('mapping never throws', () => {
  const reasons = new Set<string>(MAP_ERROR_REASONS);

  // Values shaped like the real inputs (mostly well-formed, sometimes not), so the property reaches
  // deep into each preset rather than stopping at the first check.
  const scalar = fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null));
  const maybe = <T>(good: fc.Arbitrary<T>, depth = 1) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: depth }) });
  const names = fc.constantFrom('a', 'b', 'proba', 'scores', '__proto__', 'constructor');
  const validTensor = fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), names)
    .chain(([rows, width, name]) =>
      fc.record({
        name: fc.constant(name),
        shape: fc.constant(width === 1 ? [rows] : [rows, width]),
        datatype: fc.constantFrom('FP32', 'BYTES'),
        data: fc.array(scalar, { minLength: rows * width, maxLength: rows * width }),
      }),
    );
  const tensor = maybe(validTensor, 2);
  const instance = fc.oneof(fc.array(scalar, { maxLength: 3 }), fc.dictionary(names, scalar, { maxKeys: 3 }), scalar);
  const prediction = fc.oneof(scalar, fc.array(fc.double(), { maxLength: 3 }), fc.record({ prediction: scalar, scores: fc.array(scalar, { maxLength: 3 }) }));
  const body = fc.oneof(
    fc.record({ instances: maybe(fc.array(instance, { maxLength: 3 })) }),
    fc.record({ inputs: fc.array(tensor, { maxLength: 3 }) }),
    fc.record({ predictions: maybe(fc.array(prediction, { maxLength: 3 })) }),
    fc.record({ outputs: fc.array(tensor, { maxLength: 3 }), model_name: scalar, error: maybe(fc.constant(undefined)) }, { requiredKeys: ['outputs'] }),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const time = maybe(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('9999-12-31T23:59:59Z') }).map((d) => d.toISOString()), 0);
  const id = fc.constantFrom('a', 'b', 'c', 1);
  const cloudEvent = fc.record(
    {
      specversion: fc.constant('1.0'),
      id,
      type: fc.constantFrom('org.kubeflow.serving.inference.request', 'org.kubeflow.serving.inference.response', 'x'),
      time,
      inferenceservicename: fc.constantFrom('s1', 's2', ''),
      component: fc.constantFrom('predictor', 'transformer'),
      data: body,
    },
    { requiredKeys: ['specversion', 'id', 'type', 'data'] },
  );
  const base64Event = fc.record({ specversion: fc.constant('1.0'), id, type: fc.constant('x.request'), data_base64: fc.base64String({ maxLength: 12 }) });
  const oipLine = fc.record(
    { id, type: fc.constantFrom('request', 'response', 'other'), model_name: scalar, timestamp: time, body, request: body, response: body, latency_ms: scalar, status: scalar },
    { requiredKeys: [] },
  );
  const genericLine = fc.record(
    {
      features: maybe(fc.oneof(fc.dictionary(names, scalar), fc.array(scalar, { maxLength: 3 }))),
      timestamp: time,
      prediction: prediction,
      scores: maybe(fc.array(fc.double(), { maxLength: 3 })),
      latency_ms: scalar,
      status: scalar,
      error: scalar,
      request_id: id,
      label: scalar,
    },
    { requiredKeys: [] },
  );
  // Well-formed halves with few ids and batch sizes, so pairs complete within one sequence.
  const rows = fc.integer({ min: 1, max: 2 });
  const kserveHalf = fc.tuple(id, fc.boolean(), rows, time).chain(([eventId, isRequest, n, t]) =>
    fc.record({
      specversion: fc.constant('1.0'),
      id: fc.constant(eventId),
      type: fc.constant(`org.kubeflow.serving.inference.${isRequest ? 'request' : 'response'}`),
      source: fc.constant('http://localhost:9081/'),
      time: fc.constant(t),
      inferenceservicename: fc.constant('svc'),
      data: isRequest
        ? fc.record({ instances: fc.array(instance, { minLength: n, maxLength: n }) })
        : fc.record({ predictions: fc.array(prediction, { minLength: n, maxLength: n }) }),
    }),
  );
  const oipHalf = fc.tuple(id, fc.boolean(), validTensor, time).map(([lineId, isRequest, t, timestamp]) =>
    isRequest ? { id: lineId, type: 'request', timestamp, body: { inputs: [t] } } : { id: lineId, type: 'response', timestamp, body: { outputs: [t] } },
  );
  const oipCombined = fc.record({ id, timestamp: time, request: fc.record({ inputs: fc.array(validTensor, { minLength: 1, maxLength: 2 }) }) });
  const own = {
    generic: genericLine,
    kserve: fc.oneof(kserveHalf, cloudEvent),
    'open-inference-v2': fc.oneof(oipHalf, oipCombined, oipLine),
  };
  const shapedFor = (preset: (typeof PRESETS)[number]) =>
    fc.oneof(
      { weight: 8, arbitrary: own[preset] },
      ...[cloudEvent, base64Event, oipLine, genericLine, fc.jsonValue({ maxDepth: 4 })].map((arbitrary) => ({ weight: 1, arbitrary })),
    );

  for (const preset of PRESETS) {
    it(`${preset}: map() and mapLabel() return an outcome for any JSON value`, () => {
      const { mapper } = harness({ preset, feature_names: ['a'] }, { ttl: 60, max_pending: 8 });
      const seen = new Set<string>();
      const check = (value: unknown): void => {
        const out: ModelRecord[] = [];
        const outcome = mapper.map(value, out);
        if (typeof outcome === 'object') {
          expect(reasons.has(outcome.error), outcome.error).toBe(true);
          expect(out).toEqual([]);
        } else {
          expect(['ok', 'pending']).toContain(outcome);
          if (outcome === 'pending') expect(out).toEqual([]);
        }
        out.forEach(checkRecord);
        seen.add(typeof outcome === 'object' ? outcome.error : outcome);
        const label = mapper.mapLabel(value);
        if ('error' in label) expect(reasons.has(label.error)).toBe(true);
        for (const counters of mapper.pairStats().values()) expect(counters.pending).toBeGreaterThanOrEqual(0);
      };
      // A sequence per run, so halves meet their other half.
      fc.assert(
        fc.property(fc.array(shapedFor(preset), { minLength: 1, maxLength: 4 }), (values) => values.forEach(check)),
        { numRuns: 250 },
      );
      // The generators must reach record building, or the property proves little.
      expect(seen).toContain('ok');
    });
  }
});
