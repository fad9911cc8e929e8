/**
 * The memory budget formula (pipeline/memory-budget.ts) against hand-computed parts for a known
 * config, and against the bytes the structures it describes actually hold.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { FifoRows } from '../../src/core/fifo-map.js';
import { RecentIds } from '../../src/analyzers/quality/recent-ids.js';
import { SharedIds } from '../../src/core/shared-ids.js';
import { CHECKPOINT_WRITE_FACTOR, HEAP_HEADROOM_BYTES, memoryBudget, RUNTIME_BYTES } from '../../src/pipeline/memory-budget.js';

const features = [
  { name: 'a', type: 'numeric' },
  { name: 'b', type: 'numeric' },
  { name: 'c', type: 'categorical' },
];

function parts(extra: Record<string, unknown> = {}, models = 1, live = false): Record<string, number> {
  const config = configSchema.parse({ sources: [{ type: 'stdin' }], features, drift: { windows: [{ count: 1000 }, { duration: 3600 }] }, ...extra });
  return Object.fromEntries(memoryBudget(config, { live, models }).map((p) => [p.part, p.bytes]));
}

describe('memory budget', () => {
  it('counts each count window\u2019s values its own, and its bins a byte a slot where they fit', () => {
    const both = parts();
    // Drift's numeric count windows keep their values whether data quality runs or not (8·1000 each).
    const alone = parts({ quality: { data_quality: { enabled: false } } });
    expect(both.drift).toBe(alone.drift);
    // Data quality's count window holds 8·N a numeric feature of its own, whatever drift's lengths.
    const apart = parts({ quality: { windows: [{ count: 500 }, { duration: 3600 }] } });
    expect(apart.drift).toBe(both.drift);
    expect(apart.data_quality - both.data_quality).toBe(2 * 8 * (500 - 1000) + 8 * (500 - 1000));
    // 256 numeric bins do not fit a byte with the missing mark: 4 B a slot for the numeric features'
    // and the prediction's count windows (the categories' 101 bins still a byte); one bin more costs
    // its count in the count window, the time window (31 sub-buckets) and the bin totals.
    const wide = parts({ drift: { windows: [{ count: 1000 }, { duration: 3600 }], bins: 256 } });
    const narrow = parts({ drift: { windows: [{ count: 1000 }, { duration: 3600 }], bins: 255 } });
    expect(wide.drift - narrow.drift).toBe(3 * (3 * 1000 + 8 + 8 * 31 + 8));
  });

  it('adds up windows, reference, stores and caps as documented', () => {
    const p = parts();
    // Numeric: count window bins 1·1000 (a byte a slot) + 8·10 and values 8·1000 (its own; data
    // quality's value window has its own too), time 8·(30·334 + 31·10), bin totals 8·10, sorted sample 8·1000.
    const numeric = 1000 + 80 + 8 * 1000 + 8 * (30 * 334 + 31 * 10) + 80 + 8 * 1000;
    // The prediction: the same.
    const prediction = 1000 + 80 + 8 * 1000 + 8 * (30 * 334 + 31 * 10) + 80 + 8 * 1000;
    // Categorical: 2·50 + 1 = 101 bins (a byte a slot), no values, no sample.
    const categorical = 1000 + 8 * 101 + 8 * (30 * 334 + 31 * 101) + 8 * 101;
    // Records staged for the windows: 256 × (a time + 3 features) and 256 × (a time + the prediction),
    // 8 B each; the multivariate block: 128 rows × (8 B a numeric value, 4 B a category code, 16 B time and error).
    const staged = 8 * 256 * 4 + 8 * 256 * 2;
    const block = 128 * (8 * 2 + 4 * 1 + 16);
    expect(p.drift).toBe(2 * numeric + prediction + categorical + staged + block);
    expect(parts({ drift: { windows: [{ count: 1000 }, { duration: 3600 }], multivariate: { enabled: false } } }).drift).toBe(2 * numeric + prediction + categorical + staged);
    // Warm-up rows (typed: 8 B a numeric or prediction value, 4 B a category code; 1000 records);
    // the profile built from them keeps its sample in drift's sorted reference (counted in drift).
    expect(p.reference).toBe(1000 * (8 * 3 + 4 * 1));
    // A training file: its profile's sample is drift's too; a saved profile's JSON arrays are a second copy.
    expect(parts({ reference: { path: '/data/train.csv' } }).reference).toBe(0);
    // (Its rows unknown here: drift.max_reference_values, 100,000, a numeric column.)
    expect(parts({ reference: { path: '/data/profile.json' } }).reference).toBe(8 * 100_000 * 3);
    const kinds = 8 * (3 + 20 + 2);
    // Value windows: the count window's values its own (8·1000), the time window's 8·(30·334 + 31)
    // and the 256 records staged for it (a value and a bin per feature, 12 B, and a time per record, 8 B).
    expect(p.data_quality).toBe(2 * (8 * 1000 + 8 * (30 * 334 + 31) + 12 * 256) + 8 * 256 + 8 * 1000 + 8 * 31 * kinds + 8 * kinds);
    // One id table of 10,000 + 100,000 rows for the duplicate check and the label join, and the ring of 10,000 rows.
    expect(p.request_ids).toBe(23 * 110_000 + 4 * 262_144 + 4 * 10_000);
    expect(p.label_join).toBe(37 * 110_000 + 16 * 100_000 + 300 * 10_000);
    expect(p.model_quality).toBe(64 * (1000 + 10_000));
    expect(p.runtime).toBe(RUNTIME_BYTES.oneShot);
    expect(p.heap_headroom).toBe(HEAP_HEADROOM_BYTES.oneShot);
    expect(p.checkpoint_write).toBe(0);
  });

  it('counts the per-class score windows of a multiclass model, not of a binary one', () => {
    // Pair and score windows (64 B a pair) plus 4 columns × 8 B per class for CBPE's class score windows.
    expect(parts({ quality: { classes: ['a', 'b', 'c'] } }).model_quality).toBe((64 + 32 * 3) * (1000 + 10_000));
    expect(parts({ quality: { classes: ['0', '1'] } }).model_quality).toBe(64 * (1000 + 10_000));
    expect(parts({ quality: { classes: ['a', 'b', 'c'], cbpe: { enabled: false } } }).model_quality).toBe(64 * (1000 + 10_000));
  });

  it('scales per-model parts with model versions, and drops parts whose analyzer is off', () => {
    const one = parts({}, 1, true);
    const three = parts({}, 3, true);
    for (const part of ['drift', 'reference', 'data_quality', 'model_quality']) expect(three[part]).toBe(3 * one[part]);
    for (const part of ['request_ids', 'label_join']) expect(three[part]).toBe(one[part]);
    expect(three.runtime).toBe(RUNTIME_BYTES.live);
    // Live with state checkpoints: the capture arena holds one copy of the state, the journal's memo 8 B a row of the id table
    // (100,000 waiting predictions and 10,000 recent ids) and 8 B a waiting prediction.
    const checkpointed = parts({ checkpoint: { path: '/tmp/x.json' } }, 1, true);
    const state = ['drift', 'reference', 'data_quality', 'request_ids', 'label_join', 'model_quality'].reduce((s, k) => s + checkpointed[k], 0);
    expect(checkpointed.checkpoint_write).toBe(CHECKPOINT_WRITE_FACTOR * state + 8 * 110_000 + 8 * 100_000);
    const off = parts({ drift: { enabled: false }, quality: { enabled: false } });
    expect([off.drift, off.reference, off.data_quality, off.request_ids, off.label_join, off.model_quality]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('counts live, not one-shot, the merge in sort order that each numeric time window keeps for its ticks', () => {
    // Ticks every 15 s keep the closed sub-buckets' values merged (8·30·334 B a window: the two
    // numeric features' and the prediction's in drift, the two features' value windows in data
    // quality); a one-shot run sorts once at its last tick and keeps none. Categorical windows are never sorted.
    const merge = 8 * 30 * 334;
    const oneShot = parts();
    const live = parts({}, 1, true);
    expect(live.drift - oneShot.drift).toBe(3 * merge);
    expect(live.data_quality - oneShot.data_quality).toBe(2 * merge);
    const counted = parts({ drift: { windows: [{ count: 1000 }] }, quality: { windows: [{ count: 1000 }] } });
    expect(parts({ drift: { windows: [{ count: 1000 }] }, quality: { windows: [{ count: 1000 }] } }, 1, true).drift).toBe(counted.drift);
  });

  it('counts the bytes the id stores hold when full, as allocated', () => {
    const p = parts({ quality: { data_quality: { max_request_ids: 5000 }, labels: { max_entries: 20_000, max_early_labels: 1 } } });
    // One table for both stores, as the analyzer set shares it; each record's id goes through both, as the analyzers do.
    const table = new SharedIds();
    const ids = new RecentIds(5000, table);
    const rows = new FifoRows(20_000, table);
    for (let i = 0; i < 50_000; i++) {
      const id = i % 3 === 0 ? `req-${i}` : crypto.randomUUID();
      ids.seen(id);
      if (rows.size >= 20_000) rows.deleteRow(rows.oldest());
      rows.add(id);
    }
    expect(table.bytes() + ids.bytes()).toBe(p.request_ids);
    // FifoRows holds order; the prediction columns (29 B a row of the table) and one early label (300 B) are the rest.
    expect(rows.bytes() + 29 * rows.capacity + 300).toBe(p.label_join);
    // Each store alone in its table (the other analyzer off): its part alone.
    const alone = parts({ quality: { data_quality: { enabled: false }, labels: { max_entries: 20_000, max_early_labels: 1 } } });
    const own = new FifoRows(20_000);
    for (let i = 0; i < 30_000; i++) {
      if (own.size >= 20_000) own.deleteRow(own.oldest());
      own.add(`req-${i}`);
    }
    expect(own.bytes() + 29 * own.capacity + 300).toBe(alone.label_join);
  });
});
