/**
 * One model version's data-quality state: a slot per feature (known features first, then the
 * unexpected names seen, capped, then `__overflow__` and `__record__` for record-level issues),
 * issue counters per (slot, issue), rolling issue windows and rolling value windows per numeric
 * feature. Memory is fixed once the first record has arrived.
 *
 * snapshot()/restore() carry the windows, the unexpected-name slots, learned feature types and the
 * previous record's feature set (schema_change) across a crash, keyed by feature and issue name
 * and window label, so a changed feature list restores what still exists. Totals are counters,
 * carried over by the exposition.
 */
import { emptyArray } from '../../core/empty-array.js';
import { ColumnPositions, NUMBER, STRING, valueAt, type FeatureColumns } from '../../core/feature-columns.js';
import { BoundedValues, labelValue, OVERFLOW } from '../../metrics/cardinality.js';
import type { ModelRecord } from '../../records/model-record.js';
import { counterWindow, type CounterWindow } from '../../windows/counter-window.js';
import { CountValues } from '../../windows/count-values.js';
import type { WindowSpec } from '../../windows/feature-drift.js';
import { TimeWindow } from '../../windows/time-window.js';
import { MISSING_BIN, type RollingWindow } from '../../windows/window.js';
import type { SkipReport } from './model-state.js';
import {
  applicableIssues,
  checkCategory,
  checkValue,
  DUPLICATE_REQUEST_ID,
  ISSUES,
  NO_ISSUE,
  NON_FINITE,
  OUT_OF_RANGE,
  SCHEMA_CHANGE,
  UNEXPECTED_FEATURE,
  type FeatureRule,
} from './feature-rules.js';

export const RECORD_SLOT_NAME = '__record__';
const N_ISSUES = ISSUES.length;
/** FeatureChecks.types: a slot's rule type as the column loop reads it (0: not learned yet). */
const NUMERIC_RULE = 1;
const CATEGORICAL_RULE = 2;
/** Records whose values wait for the value time windows before they take them a run at a time. */
export const STAGED_CHECKS = 256;

export interface SavedChecks {
  /** Slots in all: known features, then unexpected names (up to the cap), overflow, record. */
  slots: number;
  /** Known features (their slots, in order), unexpected names (the next slots), overflow in use. */
  known: string[];
  unexpected: string[];
  overflow: boolean;
  /** The issue names in kind order when saved. */
  issues: string[];
  /** Known feature → type, for types learned from the stream. */
  types: Record<string, 'numeric' | 'categorical'>;
  previousKeys: string[] | null;
  /** Window label → issue window. */
  windows: Record<string, unknown>;
  /** Numeric feature → window label → value window. */
  values: Record<string, Record<string, unknown>>;
}

export interface CheckSettings {
  specs: WindowSpec[];
  maxUnexpected: number;
  maxWindowValues: number;
  /** Records staged for the value time windows before a flush (1: each goes in as it is checked). */
  stagedRecords?: number;
}

export class FeatureChecks {
  /** Slot → `feature` label value. */
  readonly slotNames: string[];
  readonly rules: FeatureRule[];
  readonly totals: Float64Array;
  readonly windows: CounterWindow[];
  /** values[slot][window], for numeric known features once their type is known. */
  readonly values: (RollingWindow[] | undefined)[];
  records = 0;
  readonly recordSlot: number;
  /** Known feature name → slot. */
  private readonly slotOf = new Map<string, number>();
  /** Unexpected feature label value → slot (two raw names may share a truncated label). */
  private readonly unexpectedSlotOf = new Map<string, number>();
  private readonly unexpected: BoundedValues;
  private readonly firstUnexpectedSlot: number;
  private previousKeys: readonly string[] | undefined;
  private previousSignature = '';
  /** The previous record's unexpected names (set with previousKeys by check()). */
  private previousUnexpected: string[] | undefined;
  /** Reused per record: the (slot, issue) indices of the record's issues. */
  readonly events: number[] = [];
  /** Where the known features sit in a lent record's columns. */
  private readonly positions: ColumnPositions;
  /** Per known slot: its rule's type (NUMERIC_RULE, CATEGORICAL_RULE, 0 unset), and its bounds (ruleTypes() keeps them in step with the rules). */
  private readonly types: Uint8Array;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  /** Whether numeric/low/high hold the rules' types as they are now. */
  private typesCopied = false;
  /** Per known slot with value windows: its count windows, pushed as each record is checked (a store each). */
  private readonly countValues: (CountValues[] | undefined)[];
  /** Per known slot with value windows: its time windows, which take the staged values a run at a time (flush). */
  private readonly timeValues: (TimeWindow[] | undefined)[];
  /** Records checked since the last flush: their times, and per slot with time windows their values (NaN: missing) and bins (0, or MISSING_BIN). */
  private staged = 0;
  private readonly stagedCapacity: number;
  private readonly stagedTimes: Float64Array;
  private readonly stagedValues: (Float64Array | undefined)[];
  private readonly stagedBins: (Int32Array | undefined)[];
  /** Per slot: the first staged record it has a value for (its windows were made in the middle of a run). */
  private readonly stagedFrom: Int32Array;
  /** Whether any spec is a time window (else nothing is staged). */
  private readonly stagesValues: boolean;
  /** Whether the analyzer lists it among those to flush. */
  listed = false;

  constructor(
    rules: FeatureRule[],
    private readonly settings: CheckSettings,
  ) {
    this.rules = rules;
    this.slotNames = rules.map((r) => r.name);
    rules.forEach((r, i) => this.slotOf.set(r.name, i));
    this.firstUnexpectedSlot = rules.length;
    this.unexpected = new BoundedValues(settings.maxUnexpected);
    // Known, unexpected (capped), overflow, record.
    const slots = rules.length + settings.maxUnexpected + 2;
    this.recordSlot = slots - 1;
    this.totals = new Float64Array(slots * N_ISSUES);
    this.windows = settings.specs.map((s) => counterWindow(s, slots * N_ISSUES));
    this.values = new Array(rules.length).fill(undefined);
    this.positions = new ColumnPositions(this.slotNames.slice(0, rules.length));
    this.types = new Uint8Array(rules.length);
    this.low = new Float64Array(rules.length);
    this.high = new Float64Array(rules.length);
    this.countValues = new Array(rules.length).fill(undefined);
    this.timeValues = new Array(rules.length).fill(undefined);
    this.stagesValues = settings.specs.some((s) => s.count === undefined);
    this.stagedCapacity = Math.max(1, settings.stagedRecords ?? STAGED_CHECKS);
    this.stagedTimes = new Float64Array(this.stagesValues ? this.stagedCapacity : 0);
    this.stagedValues = new Array(rules.length).fill(undefined);
    this.stagedBins = new Array(rules.length).fill(undefined);
    this.stagedFrom = new Int32Array(rules.length);
  }

  static kind(slot: number, issue: number): number {
    return slot * N_ISSUES + issue;
  }

  /** Checks one record; `this.events` holds its issue kinds afterwards. */
  check(r: ModelRecord, duplicateId: boolean): void {
    const events = this.events;
    emptyArray(events);
    const t = r.timestamp;
    const columns = r.columns;
    if (this.stagesValues) this.stagedTimes[this.staged] = t;
    if (columns !== undefined) {
      this.checkColumns(t, columns);
    } else {
      const features = r.features;
      for (let slot = 0; slot < this.rules.length; slot++) {
        const rule = this.rules[slot];
        const v = features[rule.name];
        const type = rule.type;
        const issue = checkValue(rule, v);
        if (rule.type !== type) this.typesCopied = false;
        if (issue !== NO_ISSUE) events.push(slot * N_ISSUES + issue);
        // Out-of-range values are summarized too: they are what a unit change looks like. Bad values
        // enter as missing, so a count window still spans the last N records.
        if (rule.type === 'numeric') this.observeValue(slot, t, typeof v === 'number' && Number.isFinite(v) ? v : NaN);
      }
    }
    // Nearly every record has the previous record's keys in the same order: then its unexpected
    // names are the previous ones and the schema is unchanged, with no lookups or sorting. (V8
    // copies Object.keys from a cache kept per object shape; it is cheaper than a for-in walk.)
    const keys = r.featureKeys ?? Object.keys(r.features);
    // The scanner hands records of one key sequence the same array: then not even a compare.
    const sameKeys = this.previousUnexpected !== undefined && (keys === this.previousKeys || sameStrings(keys, this.previousKeys!));
    if (sameKeys) {
      const unexpected = this.previousUnexpected!;
      for (let k = 0; k < unexpected.length; k++) events.push(this.unexpectedSlot(unexpected[k]) * N_ISSUES + UNEXPECTED_FEATURE);
      if (duplicateId) events.push(this.recordSlot * N_ISSUES + DUPLICATE_REQUEST_ID);
    } else {
      const unexpected = this.unexpectedNames(keys);
      for (let k = 0; k < unexpected.length; k++) events.push(this.unexpectedSlot(unexpected[k]) * N_ISSUES + UNEXPECTED_FEATURE);
      if (duplicateId) events.push(this.recordSlot * N_ISSUES + DUPLICATE_REQUEST_ID);
      if (this.schemaChanged(keys)) events.push(this.recordSlot * N_ISSUES + SCHEMA_CHANGE);
      this.previousUnexpected = unexpected;
    }
    const totals = this.totals;
    for (let k = 0; k < events.length; k++) totals[events[k]]++;
    const windows = this.windows;
    for (let w = 0; w < windows.length; w++) windows[w].add(t, events);
    this.records++;
    if (this.stagesValues && ++this.staged === this.stagedCapacity) this.flush();
  }

  /**
   * The staged records' values into the value time windows, window by window: each takes the run
   * in one call (TimeWindow.pushBatch), in the order checked, so it holds what pushes one record at
   * a time would have left (its reservoir draws from its own stream). Called when the stage is full
   * and before anything reads the windows (advance, snapshot, restore; the analyzer's flush).
   */
  flush(): void {
    const n = this.staged;
    if (n === 0) return;
    // Emptied first: a window that throws does not have the same records pushed again.
    this.staged = 0;
    const times = this.stagedTimes;
    for (let slot = 0; slot < this.timeValues.length; slot++) {
      const ws = this.timeValues[slot];
      if (ws === undefined) continue;
      const from = this.stagedFrom[slot];
      this.stagedFrom[slot] = 0;
      if (from >= n) continue;
      const values = this.stagedValues[slot]!;
      const bins = this.stagedBins[slot]!;
      // Rare (windows made mid-run): views of the part of the run the slot has values for.
      const [t, v, b] = from === 0 ? [times, values, bins] : [times.subarray(from), values.subarray(from), bins.subarray(from)];
      for (let w = 0; w < ws.length; w++) ws[w].pushBatch(t, v, b, n - from);
      bins.fill(0, from, n);
    }
  }

  /**
   * check()'s per-feature loop over a lent record's columns. A number under a numeric rule, the
   * common case, is read unboxed and checked inline against the rule's bounds (copied into typed
   * arrays per slot), and a string under a categorical rule by checkCategory (checkValue's string
   * case, without its type tests); everything else goes through checkValue as the object path does.
   */
  private checkColumns(t: number, c: FeatureColumns): void {
    const at = this.positions.of(c.keys);
    const kinds = c.kinds;
    const numbers = c.numbers;
    const types = this.ruleTypes();
    const low = this.low;
    const high = this.high;
    const n = this.rules.length;
    for (let slot = 0; slot < n; slot++) {
      const p = at[slot];
      const type = types[slot];
      const kind = p >= 0 ? kinds[p] : 0;
      if (type === NUMERIC_RULE && kind === NUMBER) {
        const x = numbers[p];
        // x − x is 0 only for a finite x: NaN and ±Infinity (a JSON 1e999) are non_finite, as checkNumber says.
        if (x - x !== 0) {
          this.events.push(slot * N_ISSUES + NON_FINITE);
          this.observeNumber(slot, t, NaN);
          continue;
        }
        if (x < low[slot] || x > high[slot]) this.events.push(slot * N_ISSUES + OUT_OF_RANGE);
        this.observeNumber(slot, t, x);
        continue;
      }
      if (type === CATEGORICAL_RULE && kind === STRING) {
        const issue = checkCategory(this.rules[slot], c.strings[p]);
        if (issue !== NO_ISSUE) this.events.push(slot * N_ISSUES + issue);
        continue;
      }
      this.checkOther(slot, t, c, p);
    }
  }

  /** The same checks as check()'s object loop, for the value at position p of a lent record's columns. */
  private checkOther(slot: number, t: number, c: FeatureColumns, p: number): void {
    const rule = this.rules[slot];
    const v = valueAt(c, p);
    const type = rule.type;
    const issue = checkValue(rule, v);
    if (rule.type !== type) this.typesCopied = false;
    if (issue !== NO_ISSUE) this.events.push(slot * N_ISSUES + issue);
    if (rule.type === 'numeric') this.observeValue(slot, t, typeof v === 'number' && Number.isFinite(v) ? v : NaN);
  }

  /**
   * The rules' types per slot (a typed copy of the rules' types and bounds for the column loop),
   * copied again after a type was learned (checkValue) or restored: types only go from unset to set.
   */
  private ruleTypes(): Uint8Array {
    if (this.typesCopied) return this.types;
    const rules = this.rules;
    for (let slot = 0; slot < rules.length; slot++) {
      const type = rules[slot].type;
      this.types[slot] = type === 'numeric' ? NUMERIC_RULE : type === 'categorical' ? CATEGORICAL_RULE : 0;
      this.low[slot] = rules[slot].low;
      this.high[slot] = rules[slot].high;
    }
    this.typesCopied = true;
    return this.types;
  }

  /** The record's keys that are not known features, in key order. */
  private unexpectedNames(keys: readonly string[]): string[] {
    const out: string[] = [];
    for (const key of keys) if (!this.slotOf.has(key)) out.push(key);
    return out;
  }

  advance(now: number): void {
    this.flush();
    for (const w of this.windows) w.advance(now);
    for (const ws of this.values) if (ws) for (const w of ws) w.advance(now);
  }

  /** The (slot, issue) kinds exported: every applicable issue, zeros included. */
  applicableKinds(): number[] {
    const kinds: number[] = [];
    this.rules.forEach((rule, slot) => {
      for (const issue of applicableIssues(rule)) kinds.push(slot * N_ISSUES + issue);
    });
    for (const slot of this.unexpectedSlots) kinds.push(slot * N_ISSUES + UNEXPECTED_FEATURE);
    kinds.push(this.recordSlot * N_ISSUES + DUPLICATE_REQUEST_ID, this.recordSlot * N_ISSUES + SCHEMA_CHANGE);
    return kinds;
  }

  /** Unexpected names seen so far (their slots carry the counts). */
  get unexpectedSlots(): number[] {
    const out: number[] = [];
    for (let s = this.firstUnexpectedSlot; s < this.recordSlot; s++) if (this.slotNames[s] !== undefined) out.push(s);
    return out;
  }

  private observeValue(slot: number, t: number, v: number): void {
    this.observeNumber(slot, t, v);
  }

  /** Pushes a value (NaN: missing) into the slot's count value windows, and stages it for its time windows. */
  private observeNumber(slot: number, t: number, v: number): void {
    if (this.values[slot] === undefined) this.createValueWindows(slot);
    const bin = v === v ? 0 : MISSING_BIN;
    const counts = this.countValues[slot]!;
    for (let w = 0; w < counts.length; w++) counts[w].push(t, v, bin);
    const staged = this.stagedValues[slot];
    if (staged !== undefined) {
      const k = this.staged;
      staged[k] = v;
      // The bins are 0 but where a value is missing (flush sets those back to 0).
      if (bin === MISSING_BIN) this.stagedBins[slot]![k] = MISSING_BIN;
    }
  }

  /** The slot's value windows, in spec order; a time window's values staged from the record being checked on. */
  private createValueWindows(slot: number): RollingWindow[] {
    const counts: CountValues[] = [];
    const times: TimeWindow[] = [];
    const ws = this.settings.specs.map((s): RollingWindow => {
      if (s.count !== undefined) {
        const w = new CountValues(s.count);
        counts.push(w);
        return w;
      }
      const w = new TimeWindow(s.seconds ?? 300, 1, this.settings.maxWindowValues);
      times.push(w);
      return w;
    });
    this.values[slot] = ws;
    this.countValues[slot] = counts;
    if (times.length > 0) {
      this.timeValues[slot] = times;
      this.stagedValues[slot] = new Float64Array(this.stagedCapacity);
      this.stagedBins[slot] = new Int32Array(this.stagedCapacity);
      this.stagedFrom[slot] = this.staged;
    }
    return ws;
  }

  snapshot(): SavedChecks {
    this.flush();
    const known = this.rules.map((r) => r.name);
    const types: SavedChecks['types'] = {};
    for (const r of this.rules) if (r.type) types[r.name] = r.type;
    const unexpected: string[] = [];
    for (let s = this.firstUnexpectedSlot; s < this.recordSlot - 1; s++) if (this.slotNames[s] !== undefined) unexpected.push(this.slotNames[s]);
    const windows: Record<string, unknown> = {};
    const values: SavedChecks['values'] = {};
    this.settings.specs.forEach((spec, w) => (windows[spec.label] = this.windows[w].snapshot()));
    this.values.forEach((ws, slot) => {
      if (!ws) return;
      const byLabel: Record<string, unknown> = (values[known[slot]] = {});
      this.settings.specs.forEach((spec, w) => (byLabel[spec.label] = ws[w].snapshot()));
    });
    return {
      slots: this.recordSlot + 1,
      known,
      unexpected,
      overflow: this.slotNames[this.recordSlot - 1] !== undefined,
      issues: [...ISSUES],
      types,
      previousKeys: this.previousKeys ? [...this.previousKeys] : null,
      windows,
      values,
    };
  }

  /** Restores into fresh checks (no record seen yet); each part that does not fit is reported and left empty. */
  restore(saved: SavedChecks, skip: SkipReport): void {
    // Records checked before a restore went into the windows it replaces.
    this.flush();
    for (const rule of this.rules) rule.type ??= saved.types?.[rule.name];
    this.typesCopied = false;
    // Unexpected names take their slots again in the same order (a smaller cap folds the rest).
    const unexpectedSlot = (saved.unexpected ?? []).map((name) => (this.slotOf.has(name) ? -1 : this.unexpectedSlot(name)));
    const overflowSlot = this.recordSlot - 1;
    if (saved.overflow) this.slotNames[overflowSlot] = OVERFLOW;
    if (Array.isArray(saved.previousKeys)) {
      this.previousKeys = saved.previousKeys;
      this.previousUnexpected = undefined;
      this.previousSignature = [...saved.previousKeys].sort().join('\u0000');
    }
    const known = saved.known ?? [];
    const issues = saved.issues ?? [];
    const slots = saved.slots;
    // A saved kind is slot·issues + issue in the saved layout (known, unexpected, overflow, record).
    const remap = (kind: number): number => {
      const savedSlot = Math.floor(kind / issues.length);
      const issue = ISSUES.indexOf(issues[kind % issues.length] as (typeof ISSUES)[number]);
      let slot = -1;
      if (savedSlot < known.length) slot = this.slotOf.get(known[savedSlot]) ?? -1;
      else if (savedSlot - known.length < unexpectedSlot.length) slot = unexpectedSlot[savedSlot - known.length];
      else if (savedSlot === slots - 2) slot = overflowSlot;
      else if (savedSlot === slots - 1) slot = this.recordSlot;
      return slot < 0 || issue < 0 ? -1 : slot * N_ISSUES + issue;
    };
    this.settings.specs.forEach((spec, w) => {
      const state = saved.windows?.[spec.label];
      if (state === undefined) return;
      try {
        if (!Number.isInteger(slots) || issues.length === 0) throw new Error('saved issue layout is missing');
        this.windows[w].restore(state, remap);
      } catch (err) {
        skip(`issue window ${spec.label}`, err);
      }
    });
    for (const [name, byLabel] of Object.entries(saved.values ?? {})) {
      const slot = this.slotOf.get(name);
      if (slot === undefined || this.rules[slot].type !== 'numeric') continue;
      const ws = this.values[slot] ?? this.createValueWindows(slot);
      this.settings.specs.forEach((spec, w) => {
        const state = byLabel[spec.label];
        if (state === undefined) return;
        try {
          ws[w].restore(state);
        } catch (err) {
          skip(`value window ${name} ${spec.label}`, err);
        }
      });
    }
  }

  private unexpectedSlot(key: string): number {
    const name = this.unexpected.admit(labelValue(key));
    if (name === OVERFLOW) {
      const overflowSlot = this.recordSlot - 1;
      this.slotNames[overflowSlot] = OVERFLOW;
      return overflowSlot;
    }
    let slot = this.unexpectedSlotOf.get(name);
    if (slot === undefined) {
      slot = this.firstUnexpectedSlot + this.unexpectedSlotOf.size;
      this.unexpectedSlotOf.set(name, slot);
      this.slotNames[slot] = name;
    }
    return slot;
  }

  /** A different feature set from the previous record; key order alone is no change. */
  private schemaChanged(keys: readonly string[]): boolean {
    const prev = this.previousKeys;
    if (prev && sameStrings(prev, keys)) return false;
    const signature = [...keys].sort().join('\u0000');
    const changed = prev !== undefined && signature !== this.previousSignature;
    this.previousKeys = keys;
    this.previousSignature = signature;
    return changed;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
