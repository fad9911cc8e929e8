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
import { ColumnPositions, NUMBER, valueAt, type FeatureColumns } from '../../core/feature-columns.js';
import { BoundedValues, labelValue, OVERFLOW } from '../../metrics/cardinality.js';
import type { ModelRecord } from '../../records/model-record.js';
import { counterWindow, type CounterWindow } from '../../windows/counter-window.js';
import { CountValues } from '../../windows/count-values.js';
import type { WindowSpec } from '../../windows/feature-drift.js';
import type { SharedValueRing } from '../../windows/shared-value-ring.js';
import { TimeWindow } from '../../windows/time-window.js';
import { MISSING_BIN, type RollingWindow } from '../../windows/window.js';
import type { SkipReport } from './model-state.js';
import {
  applicableIssues,
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
  /** A numeric feature's value ring for a count window of this length, shared with drift's (windows/value-rings.ts). */
  valueRing?: (feature: string, count: number) => SharedValueRing | undefined;
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
  /** Per known slot: 1 for a numeric rule, and its bounds (numericSlots() keeps them in step with the rules). */
  private readonly numeric: Uint8Array;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  /** Whether numeric/low/high hold the rules' types as they are now. */
  private typesCopied = false;

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
    this.numeric = new Uint8Array(rules.length);
    this.low = new Float64Array(rules.length);
    this.high = new Float64Array(rules.length);
  }

  static kind(slot: number, issue: number): number {
    return slot * N_ISSUES + issue;
  }

  /** Checks one record; `this.events` holds its issue kinds afterwards. */
  check(r: ModelRecord, duplicateId: boolean): void {
    const events = this.events;
    events.length = 0;
    const t = r.timestamp;
    const columns = r.columns;
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
  }

  /**
   * check()'s per-feature loop over a lent record's columns. A number under a numeric rule, the
   * common case, is read unboxed and checked inline against the rule's bounds (copied into typed
   * arrays per slot); everything else goes through checkValue as the object path does.
   */
  private checkColumns(t: number, c: FeatureColumns): void {
    const at = this.positions.of(c.keys);
    const kinds = c.kinds;
    const numbers = c.numbers;
    const numeric = this.numericSlots();
    const low = this.low;
    const high = this.high;
    const n = this.rules.length;
    for (let slot = 0; slot < n; slot++) {
      const p = at[slot];
      if (numeric[slot] === 1 && p >= 0 && kinds[p] === NUMBER) {
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
   * 1 per slot whose rule is numeric (a typed copy of the rules' types and bounds for the column
   * loop), copied again after a type was learned (checkValue) or restored: types only go from unset to set.
   */
  private numericSlots(): Uint8Array {
    if (this.typesCopied) return this.numeric;
    const rules = this.rules;
    for (let slot = 0; slot < rules.length; slot++) {
      this.numeric[slot] = rules[slot].type === 'numeric' ? 1 : 0;
      this.low[slot] = rules[slot].low;
      this.high[slot] = rules[slot].high;
    }
    this.typesCopied = true;
    return this.numeric;
  }

  /** The record's keys that are not known features, in key order. */
  private unexpectedNames(keys: readonly string[]): string[] {
    const out: string[] = [];
    for (const key of keys) if (!this.slotOf.has(key)) out.push(key);
    return out;
  }

  advance(now: number): void {
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

  /** Pushes a value (NaN: missing) into the slot's value windows. */
  private observeNumber(slot: number, t: number, v: number): void {
    const ws = this.values[slot] ?? this.createValueWindows(slot);
    const bin = v === v ? 0 : MISSING_BIN;
    for (let w = 0; w < ws.length; w++) ws[w].push(t, v, bin);
  }

  private createValueWindows(slot: number): RollingWindow[] {
    const name = this.rules[slot].name;
    const ws = this.settings.specs.map(
      (s): RollingWindow =>
        s.count !== undefined ? new CountValues(s.count, this.settings.valueRing?.(name, s.count)) : new TimeWindow(s.seconds ?? 300, 1, this.settings.maxWindowValues),
    );
    this.values[slot] = ws;
    return ws;
  }

  snapshot(): SavedChecks {
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
