/**
 * Memory as a budget: what a config holds at most, part by part, so a container can be sized before
 * it is deployed. Every window, store and cap is fixed by the config (nothing grows with traffic),
 * so the bytes follow from it and from the number of model versions seen:
 *
 *   runtime        Node.js and modelwatch's code (+ the HTTP server when live)             measured
 *   heap_headroom  the garbage collector's working room (young generation, old-space slack) measured
 *   drift          per model version × feature: Σ windows + bin totals + sorted reference sample
 *                    count window N: b·N (b = 1 B a bin for ≤ 255 bins, else 4) + 8·bins + its
 *                    values: 8·N, none for a categorical feature (never read); data quality's
 *                    value window of the same length keeps its own (counted there);
 *                    time window: 8·(30·⌈V/30⌉ + 31·bins)
 *                  + per model version: records staged for the windows, 8·256·(features + 1) and
 *                    8·256·2 for the prediction (analyzers/staged-records.ts); with multivariate
 *                    drift its block of 128 encoded rows, 128·(8·numeric + 4·categorical + 16)
 *   reference      per model version: the warm-up rows while they are collected (typed columns:
 *                    8 B a numeric value, 4 B a category code); a profile built from them or from a
 *                    training file keeps its sample in drift's sorted reference (counted there), so
 *                    nothing after; a saved profile (.json) read once: its samples as JS arrays
 *                    (8 B per kept sample value) beside drift's copies
 *   data_quality   per model version: value windows per numeric feature (count 8·N; time
 *                    240·⌈V/30⌉) + 12·256 per numeric feature and 8·256 with any time
 *                    window (the values staged for them: quality/feature-checks.ts)
 *                    + issue windows (count 8·N at one issue a record, time 248·K) with
 *                    K = 8 issues × (features + max_unexpected_features + 2)
 *   request_ids    one id table for the duplicate check and the label join (core/shared-ids.ts):
 *                    R = max_request_ids (with data quality) + max_entries (with model quality) rows,
 *                    23 B a row (16 packed, 6 kind, length and hash, 1 which stores hold it), + 4 B
 *                    per slot (a power of two ≥ 2 R), + 4 B per max_request_ids (the ring of rows)
 *   label_join     per row of that table (any may come to hold a waiting prediction), allocated
 *                    once: 8 (generations) + 29 (columns) = 37 B, + 16 B per max_entries (order
 *                    queue, twice the rows); early labels and joined ids ~150 B each × max_early_labels
 *   model_quality  per model version × window: (64 + 8 · segments + 32 · k) B × pairs (count, or
 *                    max_window_pairs), k = the configured classes of a multiclass model (its
 *                    per-class score windows for CBPE), else 0
 *   checkpoint_write  live with checkpoint.state: ~1 × the parts above (the capture arena's copy of the state)
 *                    + 8 B × R + 8 B × max_entries (the journal's memo of the last durable store: a
 *                    sequence number per id table row and per waiting prediction)
 *
 * with bins = drift.bins for a numeric feature and 2·max_categories + 1 for a categorical one, V =
 * drift.max_window_values. Strings held by reference (text predictions, ids longer than 16 characters
 * that are not UUIDs, new category names) are not counted. docs/performance.md compares the sum with
 * the peak RSS measured by the benches.
 */
import type { Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import { registerSnapshot } from '../metrics/snapshot-metric.js';
import type { ReferenceProfile } from '../windows/reference-profile.js';
import { BYTE_BINS } from '../windows/count-window.js';
import { BLOCK } from '../windows/multivariate-drift.js';
import { STAGED_RECORDS } from '../analyzers/drift.js';
import { STAGED_CHECKS } from '../analyzers/quality/feature-checks.js';

/**
 * Measured (docs/performance.md, "Memory budget" and "The floor"), Node 26 with the image's flags,
 * the bundled build: one-shot, the peak RSS of a traffic-only run over 1M lines (69 MiB; Node 20
 * 64 in the same sitting); live, a default config serving /metrics (85 MiB; Node 20 70.5-71.1).
 * Node itself is 41-42 MiB (33.5 of it the binary's pages); Node 22 and later touch ~9 MiB more of
 * their binary and hold ~5 MiB more heap than Node 20 did; zod, yaml and prom-client's classes ~3;
 * modelwatch's own code and start-up state the rest.
 */
export const RUNTIME_BYTES = { oneShot: 69 * 2 ** 20, live: 85 * 2 ** 20 };
/**
 * Measured: peak RSS minus runtime and retained state, 1M lines (every analyzer 94 MiB, traffic +
 * drift 81), with the image's --max-semi-space-size=2 and the old generation's growth at 10 %
 * (core/heap-growth.ts); live adds the garbage of ticks and scrapes (not re-measured since).
 */
export const HEAP_HEADROOM_BYTES = { oneShot: 8 * 2 ** 20, live: 30 * 2 ** 20 };
/**
 * Measured: a state checkpoint write holds one copy of the state's typed arrays, kept between
 * writes in the capture arena (src/core/capture-arena.ts) instead of left as garbage for a full GC,
 * and streams the JSON through one reused 1 MiB buffer. Overhead bench, 1,000 records/s, ~20 MiB of
 * state: peak RSS 113–116 MiB with checkpoints vs 99 without over 60 s, 126 MiB over 300 s with the
 * label join store full: about one state's worth. It was three while copies waited for a full
 * GC (206 MiB), five while the JSON was built as strings (264 MiB).
 */
export const CHECKPOINT_WRITE_FACTOR = 1;

const SUB_BUCKETS = 30;
/** Bytes a warm-up value takes: a numeric column's Float64Array, a categorical column's Int32Array codes (windows/warmup-rows.ts). */
const WARMUP_NUMERIC_BYTES = 8;
const WARMUP_CATEGORY_BYTES = 4;
/** Issues counted per data-quality slot (feature-rules.ts ISSUES). */
const ISSUE_KINDS = 8;
/** Slots beyond the features: unexpected names (max_unexpected_features), overflow, record. */
const EXTRA_SLOTS = 2;

export interface BudgetPart {
  part: string;
  bytes: number;
}

/** Open-addressing slots of an id table of `rows` ids (core/id-table.ts: a power of two, at most half full). */
function idSlots(rows: number): number {
  let p = 16;
  while (p < 2 * rows) p *= 2;
  return p;
}

type RingKind = 'own' | 'none';

/** A count window's values: its own, 8 B a value; none (a categorical feature's). */
function valueRingBytes(n: number, kind: RingKind): number {
  return kind === 'own' ? 8 * n : 0;
}

/** Its bins ring a byte a slot where the bins fit one (windows/count-window.ts BYTE_BINS), else 4 B. */
function countWindowBytes(n: number, bins: number, values: RingKind): number {
  return (bins <= BYTE_BINS ? 1 : 4) * n + 8 * bins + valueRingBytes(n, values);
}

/**
 * Its sub-buckets' reservoirs and counts, and where ticks sort its values (`sorted`: a numeric
 * feature's, live: a one-shot run sorts once and keeps nothing) the closed sub-buckets' values kept
 * merged in sort order (windows/sorted-closed-values.ts).
 */
function timeWindowBytes(maxValues: number, bins: number, sorted: boolean): number {
  const values = SUB_BUCKETS * Math.ceil(maxValues / SUB_BUCKETS);
  return 8 * ((sorted ? 2 : 1) * values + (SUB_BUCKETS + 1) * bins);
}

/** Data quality stages the values of its time windows (quality/feature-checks.ts): a value and a bin per numeric feature, a time per record. */
const STAGED_VALUE_BYTES = (8 + 4) * STAGED_CHECKS;
const STAGED_TIME_BYTES = 8 * STAGED_CHECKS;

/**
 * Features as configured, else the reference file's; a type neither gives counts as numeric (the
 * larger of the two for windows of values). Without either, features are learned from the first
 * record and the per-feature parts read 0: set `features` for a budget before traffic.
 */
function features(config: Config, reference: ReferenceProfile | undefined): { numeric: number; categorical: number } {
  const names = config.features?.map((f) => f.name) ?? Object.keys(reference?.features ?? {});
  const configured = new Map(config.features?.map((f) => [f.name, f.type]));
  let categorical = 0;
  for (const name of names) if ((configured.get(name) ?? reference?.features[name]?.type) === 'categorical') categorical++;
  return { numeric: names.length - categorical, categorical };
}

/** Bytes per model version of each part that scales with model versions; the others once. */
export function memoryBudget(config: Config, o: { live: boolean; models: number; reference?: ReferenceProfile }): BudgetPart[] {
  const models = Math.max(1, o.models);
  const { numeric, categorical } = features(config, o.reference);
  const drift = config.drift;
  const windows = drift.windows;
  const maxValues = drift.max_window_values;
  const categoryBins = 2 * drift.max_categories + 1;
  const referenceRows = Math.min(config.reference.path ? (o.reference?.rows ?? drift.max_reference_values) : config.reference.warmup_records, drift.max_reference_values);

  const q = config.quality;
  const dq = q.data_quality;
  const qualityWindows = q.windows ?? windows;

  // A numeric feature's and the prediction's values their own, a categorical feature's none.
  const window = (bins: number, w: (typeof windows)[number], values: RingKind) =>
    w.count !== undefined ? countWindowBytes(w.count, bins, values) : timeWindowBytes(maxValues, bins, o.live && values === 'own');
  const driftFeature = (bins: number, sample: number, values: RingKind) => windows.reduce((sum, w) => sum + window(bins, w, values), 0) + 8 * bins + 8 * sample;
  // Records staged for the windows (a time and a value per feature, the prediction's apart) and the
  // multivariate score's block of encoded rows (a number per numeric feature, a code per category).
  const stagedBytes = 8 * STAGED_RECORDS * (numeric + categorical + 1) + 8 * STAGED_RECORDS * 2;
  const blockBytes = drift.multivariate.enabled ? BLOCK * (8 * numeric + 4 * categorical + 16) : 0;
  const driftBytes = drift.enabled
    ? driftFeature(drift.bins, referenceRows, 'own') * numeric + driftFeature(drift.bins, referenceRows, 'own') + driftFeature(categoryBins, 0, 'none') * categorical + stagedBytes + blockBytes
    : 0;

  const path = config.reference.path;
  const warmupBytes = path ? 0 : config.reference.warmup_records * (WARMUP_NUMERIC_BYTES * (numeric + 1) + WARMUP_CATEGORY_BYTES * categorical);
  // A built profile's sample is drift's sorted reference itself (reference-profile.ts SampleValues);
  // a saved profile's JSON arrays are a second copy.
  const savedProfileBytes = path?.endsWith('.json') ? 8 * referenceRows * (numeric + 1) : 0;
  const referenceBytes = drift.enabled ? warmupBytes + savedProfileBytes : 0;

  const kinds = ISSUE_KINDS * (numeric + categorical + dq.max_unexpected_features + EXTRA_SLOTS);
  const timeWindows = qualityWindows.some((w) => w.count === undefined);
  const valueWindows =
    qualityWindows.reduce((sum, w) => sum + (w.count === undefined ? timeWindowBytes(maxValues, 1, o.live) : valueRingBytes(w.count, 'own')), 0) + (timeWindows ? STAGED_VALUE_BYTES : 0);
  const issueWindows = qualityWindows.reduce((sum, w) => sum + (w.count !== undefined ? 8 * w.count : 8 * (SUB_BUCKETS + 1) * kinds), 0) + 8 * kinds;
  const dataQualityBytes = q.enabled && dq.enabled ? valueWindows * numeric + issueWindows + (timeWindows ? STAGED_TIME_BYTES : 0) : 0;

  const labels = q.labels;
  const ringIds = q.enabled && dq.enabled ? dq.max_request_ids : 0;
  const waiting = q.enabled ? labels.max_entries : 0;
  // One table's rows for both stores (core/shared-ids.ts); the label join's columns are indexed by them.
  const idRows = ringIds + waiting;
  const requestIdBytes = idRows > 0 ? 23 * idRows + 4 * idSlots(idRows) + 4 * ringIds : 0;
  const labelJoinBytes = q.enabled ? (8 + 29) * idRows + 16 * waiting + 150 * 2 * labels.max_early_labels : 0;
  // The checkpoint journal's memo: a sequence number per id table row (core/entry-order.ts) and per
  // waiting prediction of the committed capture (windows/journal-memo.ts).
  const journalMemoBytes = q.enabled ? 8 * idRows + 8 * waiting : 0;

  const segments = q.segments.fields.length + (q.fairness ? 1 : 0);
  const pairs = qualityWindows.reduce((sum, w) => sum + (w.count ?? q.max_window_pairs), 0);
  // A multiclass model keeps one score window per configured class (binary: the positive score only).
  const binary = q.classes?.length === 2 && q.classes.includes(q.positive_class);
  const classScores = q.cbpe.enabled && q.classes && !binary ? 4 * q.classes.length : 0;
  const modelQualityBytes = q.enabled ? 8 * (4 + 4 + segments + classScores) * pairs : 0;

  const state = [
    { part: 'drift', bytes: models * driftBytes },
    { part: 'reference', bytes: (config.reference.path ? 1 : models) * referenceBytes },
    { part: 'data_quality', bytes: models * dataQualityBytes },
    { part: 'request_ids', bytes: requestIdBytes },
    { part: 'label_join', bytes: labelJoinBytes },
    { part: 'model_quality', bytes: models * modelQualityBytes },
  ];
  const checkpointed = o.live && config.checkpoint.path !== undefined && config.checkpoint.state;
  const stateBytes = state.reduce((sum, p) => sum + p.bytes, 0);
  return [
    { part: 'runtime', bytes: o.live ? RUNTIME_BYTES.live : RUNTIME_BYTES.oneShot },
    { part: 'heap_headroom', bytes: o.live ? HEAP_HEADROOM_BYTES.live : HEAP_HEADROOM_BYTES.oneShot },
    ...state,
    { part: 'checkpoint_write', bytes: checkpointed ? CHECKPOINT_WRITE_FACTOR * stateBytes + journalMemoBytes : 0 },
  ];
}

/** modelwatch_memory_budget_bytes{part}: the formula above for this config and the model versions seen so far. */
export function registerMemoryBudget(registry: Registry, config: Config, o: { live: boolean; models: () => number; reference?: () => ReferenceProfile | undefined }): void {
  registerSnapshot(
    registry,
    'modelwatch_memory_budget_bytes',
    'Memory the config holds at most, by part, for the model versions seen so far (docs/performance.md#memory-budget); compare the sum with process_resident_memory_bytes and the container limit.',
    'gauge',
    () => memoryBudget(config, { live: o.live, models: o.models(), reference: o.reference?.() }).map(({ part, bytes }) => ({ labels: { part }, value: bytes })),
  );
}
