/**
 * The warm-up columns (typed when they can be) against the plain arrays of raw values they replace:
 * every non-missing value comes back as it went in, every missing one as missing, and the reference
 * profile built from them (bins, sample, categories, the multivariate model) is the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProfile, isMissing, type NumericProfile, type RawValue, type ReferenceValues } from '../../src/windows/reference-profile.js';
import { WarmupRows } from '../../src/windows/warmup-rows.js';

const PREDICTION = '__prediction__';
const NAMES = ['a', 'b', 'c', 'd'];

const missing = fc.constantFrom<RawValue>(null, undefined, '', 'NA', 'null', 'NaN', NaN, Infinity);
const number = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const value = fc.oneof(
  { weight: 6, arbitrary: number },
  { weight: 3, arbitrary: fc.constantFrom<RawValue>('x', 'y', 'z', true, false) },
  { weight: 1, arbitrary: fc.constantFrom<RawValue>('3.5', ' 7', '0') },
  { weight: 2, arbitrary: missing },
);
/** Per column, what its values look like: all numbers, all categories, or anything. */
const columnKind = fc.constantFrom('numeric', 'categorical', 'mixed');

function plainRows(records: { features: Record<string, RawValue>; prediction: RawValue }[], names: (r: Record<string, RawValue>) => string[]): Map<string, RawValue[]> {
  // The arrays of raw values drift.ts kept before (a column first seen later starts with undefined).
  const rows = new Map<string, RawValue[]>();
  let count = 0;
  for (const r of records) {
    for (const name of names(r.features)) if (!rows.has(name)) rows.set(name, new Array<RawValue>(count).fill(undefined));
    if (!rows.has(PREDICTION)) rows.set(PREDICTION, new Array<RawValue>(count).fill(undefined));
    for (const [name, col] of rows) col.push(name === PREDICTION ? r.prediction : r.features[name]);
    count++;
  }
  return rows;
}

describe('WarmupRows', () => {
  it('gives back the values (missing as missing) and the same profile as arrays of raw values', () => {
    const records = fc
      .tuple(fc.array(columnKind, { minLength: NAMES.length, maxLength: NAMES.length }), fc.integer({ min: 1, max: 120 }))
      .chain(([kinds, n]) => {
        const forKind = (k: string) => (k === 'numeric' ? fc.oneof({ weight: 5, arbitrary: number }, { weight: 1, arbitrary: missing }) : k === 'categorical' ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom<RawValue>('x', 'y', 'z') }, { weight: 1, arbitrary: missing }) : value);
        const record = fc.record({
          features: fc.record(Object.fromEntries(NAMES.map((name, i) => [name, forKind(kinds[i])])), { requiredKeys: [] }),
          prediction: fc.oneof(number, missing),
        });
        return fc.tuple(fc.array(record, { minLength: n, maxLength: n }), fc.boolean(), fc.integer({ min: 1, max: 150 }));
      });
    fc.assert(
      fc.property(records, ([recs, configured, capacity]) => {
        const names = (f: Record<string, RawValue>) => (configured ? NAMES : Object.keys(f));
        const warmup = new WarmupRows(capacity, PREDICTION);
        for (const r of recs) warmup.add(names(r.features), r.features, r.prediction);
        const plain = plainRows(recs, names);
        const typed = warmup.arrays();
        expect(warmup.count).toBe(recs.length);
        expect([...typed.keys()]).toEqual([...plain.keys()]);
        for (const [name, col] of plain) {
          const got = typed.get(name)!;
          expect(got.length).toBe(col.length);
          for (let i = 0; i < col.length; i++) {
            if (isMissing(col[i])) expect(isMissing(got[i]), `${name}[${i}]`).toBe(true);
            else expect(got[i], `${name}[${i}]`).toBe(col[i]);
          }
        }
        const profile = (columns: Map<string, ReferenceValues>) =>
          buildProfile({ source: 'warmup', rows: recs.length, columns, predictionColumn: PREDICTION }, { bins: 5, maxCategories: 3, maxSample: 50, reconstruction: { explainedVariance: 0.9 } }, new Date(0));
        expect(profile(typed)).toEqual(profile(plain));
        // The build reads the typed columns in place (no copies): the same profile, model included.
        expect(profile(warmup.columnViews())).toEqual(profile(plain));
        // A checkpoint's copy restores to the same columns (as JSON has them: -0 is 0 there).
        const json = (columns: Map<string, RawValue[]>) => JSON.parse(JSON.stringify(Object.fromEntries(columns))) as Record<string, RawValue[]>;
        const restored = WarmupRows.restore(json(typed), warmup.count, capacity, PREDICTION).arrays();
        expect(profile(restored)).toEqual(profile(new Map(Object.entries(json(plain)))));
      }),
      { numRuns: 150 },
    );
  });

  it('holds a numeric column in 8 bytes a value and a categorical one in 4', () => {
    const warmup = new WarmupRows(1000, PREDICTION);
    for (let i = 0; i < 1000; i++) warmup.add(['n', 'c'], { n: i / 7, c: ['x', 'y', 'z'][i % 3] }, i);
    const cols = (warmup as unknown as { columns: Map<string, { numbers?: Float64Array; codes?: Int32Array; raw?: unknown[] }> }).columns;
    expect(cols.get('n')!.numbers!.byteLength).toBe(8000);
    expect(cols.get('c')!.codes!.byteLength).toBe(4000);
    expect(cols.get('n')!.raw ?? cols.get('c')!.raw).toBeUndefined();
    // What the reference build reads is those arrays themselves, not copies.
    const views = warmup.columnViews();
    expect((views.get('n') as Float64Array).buffer).toBe(cols.get('n')!.numbers!.buffer);
    expect((views.get('c') as { codes: Int32Array }).codes.buffer).toBe(cols.get('c')!.codes!.buffer);
  });

  it("keeps a built profile's sample as a Float64Array, written to JSON as the array a profile file holds", () => {
    const values = Float64Array.from({ length: 300 }, (_, i) => Math.cos(i));
    const profile = buildProfile({ source: 'warmup', rows: 300, columns: new Map([['x', values]]) }, { bins: 4, maxCategories: 3, maxSample: 100 }, new Date(0));
    const sample = (profile.features.x as NumericProfile).sample;
    expect(sample).toBeInstanceOf(Float64Array);
    expect(sample.length).toBe(100);
    const written = (JSON.parse(JSON.stringify(profile)) as { features: { x: { sample: unknown } } }).features.x.sample;
    expect(written).toEqual(Array.from(sample));
  });
});
