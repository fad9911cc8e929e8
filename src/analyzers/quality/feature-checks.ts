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
import type { CountWindow } from '../../windows/count-window.js';
import type { WindowSpec } from '../../windows/feature-drift.js';
import { TimeWindow } from '../../windows/time-window.js';
import { MISSING_BIN, type RollingWindow } from '../../windows/window.js';
import { columnPlan, type ColumnPlan } from './column-plan.js';
import type { SkipReport } from './model-state.js';
import {
  applicableIssues,
  checkNumber,
  checkValue,
  DUPLICATE_REQUEST_ID,
  ISSUES,
  NO_ISSUE,
  NON_FINITE,
  SCHEMA_CHANGE,
  UNEXPECTED_FEATURE,
  type FeatureRule,
} from './feature-rules.js';

export const RECORD_SLOT_NAME = '__record__';
const N_ISSUES = ISSUES.length;
/** Records whose values wait for the value windows before they take them a run at a time. */
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

/** Drift's count window of a feature and size, where drift keeps one (windows/shared-summaries.ts). */
export type DriftWindowOf = (feature: string, count: number) => CountWindow | undefined;

/** Drift's count window a value window is saved against and restored from (ring-against.ts): one of the same size, where there is one. */
function driftWindowFor(spec: WindowSpec, feature: string, driftOf: DriftWindowOf | undefined): CountWindow | undefined {
  return spec.count === undefined ? undefined : driftOf?.(feature, spec.count);
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
  /** How the column loop reads them (undefined: to be made again, after a type was learned or restored). */
  private plan: ColumnPlan | undefined;
  /** Per numeric slot of the plan, in its order: the slot's staged values. */
  private planValues: Float64Array[] = [];
  /** Per known slot with value windows: its count windows, which take the staged values a run at a time (flush). */
  private readonly countValues: (CountValues[] | undefined)[];
  /** Per known slot with value windows: its time windows, which take the staged values a run at a time (flush). */
  private readonly timeValues: (TimeWindow[] | undefined)[];
  /**
   * Records checked since the last flush: with time windows their times; per slot with value
   * windows their values (NaN: missing), and with time windows their bins (0, or MISSING_BIN).
   */
  private staged = 0;
  private readonly stagedCapacity: number;
  private readonly stagedTimes: Float64Array;
  private readonly stagedValues: (Float64Array | undefined)[];
  private readonly stagedBins: (Int32Array | undefined)[];
  /** Per staged record: how many issues it had; the issues themselves, one after the other (`stagedIssueCount` of them). */
  private readonly stagedIssuesPer: Uint32Array;
  private stagedIssues = new Uint32Array(64);
  private stagedIssueCount = 0;
  /** Per slot: the first staged record it has a value for (its windows were made in the middle of a run). */
  private readonly stagedFrom: Int32Array;
  /** Whether any spec is a time window (else no times or bins are staged). */
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
    this.countValues = new Array(rules.length).fill(undefined);
    this.timeValues = new Array(rules.length).fill(undefined);
    this.stagesValues = settings.specs.some((s) => s.count === undefined);
    this.stagedCapacity = Math.max(1, settings.stagedRecords ?? STAGED_CHECKS);
    this.stagedTimes = new Float64Array(this.stagesValues ? this.stagedCapacity : 0);
    this.stagedIssuesPer = new Uint32Array(this.stagedCapacity);
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
      this.checkColumns(columns);
    } else {
      const features = r.features;
      for (let slot = 0; slot < this.rules.length; slot++) {
        const rule = this.rules[slot];
        const v = features[rule.name];
        const type = rule.type;
        const issue = checkValue(rule, v);
        if (rule.type !== type) this.plan = undefined;
        if (issue !== NO_ISSUE) events.push(slot * N_ISSUES + issue);
        // Out-of-range values are summarized too: they are what a unit change looks like. Bad values
        // enter as missing, so a count window still spans the last N records.
        if (rule.type === 'numeric') this.observeNumber(slot, typeof v === 'number' && Number.isFinite(v) ? v : NaN);
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
    const m = events.length;
    for (let k = 0; k < m; k++) totals[events[k]]++;
    // The issue windows take the record at the flush, with the value windows.
    this.stagedIssuesPer[this.staged] = m;
    if (m > 0) this.stageIssues(events);
    this.records++;
    if (++this.staged === this.stagedCapacity) this.flush();
  }

  /**
   * The staged records' values into the value windows, window by window: each takes the run in one
   * call (CountValues.pushValues, TimeWindow.pushBatch), in the order checked, so it holds what
   * pushes one record at a time would have left (a time window's reservoir draws from its own
   * stream). Called when the stage is full and before anything reads the windows (advance,
   * snapshot, restore; the analyzer's flush).
   */
  flush(): void {
    const n = this.staged;
    if (n === 0) return;
    // Emptied first: a window that throws does not have the same records pushed again.
    this.staged = 0;
    this.stagedIssueCount = 0;
    const times = this.stagedTimes;
    const windows = this.windows;
    for (let w = 0; w < windows.length; w++) windows[w].addRun(times, this.stagedIssuesPer, this.stagedIssues, n);
    for (let slot = 0; slot < this.values.length; slot++) {
      if (this.values[slot] === undefined) continue;
      const from = this.stagedFrom[slot];
      this.stagedFrom[slot] = 0;
      if (from >= n) continue;
      const values = this.stagedValues[slot]!;
      const counts = this.countValues[slot]!;
      for (let w = 0; w < counts.length; w++) counts[w].pushValues(values, from, n);
      const ws = this.timeValues[slot];
      if (ws === undefined) continue;
      const bins = this.stagedBins[slot]!;
      // Rare (windows made mid-run): views of the part of the run the slot has values for.
      const [t, v, b] = from === 0 ? [times, values, bins] : [times.subarray(from), values.subarray(from), bins.subarray(from)];
      for (let w = 0; w < ws.length; w++) ws[w].pushBatch(t, v, b, n - from);
      bins.fill(0, from, n);
    }
  }

  /**
   * check()'s per-feature loop over a lent record's columns, a loop per rule type (ColumnPlan). A
   * number under a numeric rule within its bounds, the common case, is read unboxed and staged for
   * the value windows; a string under a categorical rule that is one of its categories is a Set
   * lookup (none without categories). Everything else goes through checkNumeric or checkOther,
   * which give the issue as the object path does.
   */
  private checkColumns(c: FeatureColumns): void {
    const plan = this.planFor(c.keys);
    const events = this.events;
    const kinds = c.kinds;
    const k = this.staged;
    const numbers = c.numbers;
    const numericSlots = plan.numericSlots;
    const numericAt = plan.numericAt;
    const low = plan.low;
    const high = plan.high;
    const staged = this.planValues;
    for (let i = 0; i < numericSlots.length; i++) {
      const p = numericAt[i];
      if (p >= 0 && kinds[p] === NUMBER) {
        const x = numbers[p];
        // False for NaN and ±Infinity too (the bounds are finite): those go to checkNumeric.
        if (low[i] <= x && x <= high[i]) {
          staged[i][k] = x;
          continue;
        }
      }
      this.checkNumeric(numericSlots[i], c, p);
    }
    const strings = c.strings;
    const categoricalSlots = plan.categoricalSlots;
    const categoricalAt = plan.categoricalAt;
    const categories = plan.categories;
    for (let i = 0; i < categoricalSlots.length; i++) {
      const p = categoricalAt[i];
      if (p >= 0 && kinds[p] === STRING) {
        const s = strings[p];
        const known = categories[i];
        if (s !== '' && (known === undefined || known.has(s))) continue;
      }
      this.checkOther(categoricalSlots[i], c, p);
    }
    const untypedSlots = plan.untypedSlots;
    for (let i = 0; i < untypedSlots.length; i++) this.checkOther(untypedSlots[i], c, plan.untypedAt[i]);
    // The object path lists a record's issues in slot order (the segment counts and the count
    // windows keep that order): the loops above went by type. Rarely more than one.
    if (events.length > 1) sortKinds(events);
  }

  /** Appends a record's issues to the staged ones. */
  private stageIssues(events: readonly number[]): void {
    const needed = this.stagedIssueCount + events.length;
    if (needed > this.stagedIssues.length) {
      const grown = new Uint32Array(Math.max(needed, 2 * this.stagedIssues.length));
      grown.set(this.stagedIssues.subarray(0, this.stagedIssueCount));
      this.stagedIssues = grown;
    }
    for (let k = 0; k < events.length; k++) this.stagedIssues[this.stagedIssueCount++] = events[k];
  }

  /** The plan for this key sequence and the rules' types now; made again when either changed. */
  private planFor(keys: readonly string[]): ColumnPlan {
    const at = this.positions.of(keys);
    const plan = this.plan;
    if (plan !== undefined && plan.at === at) return plan;
    const made = columnPlan(this.rules, at);
    // A numeric rule's value windows are made at its first value, as observeNumber would in this record.
    this.planValues = Array.from(made.numericSlots, (slot) => {
      if (this.values[slot] === undefined) this.createValueWindows(slot);
      return this.stagedValues[slot]!;
    });
    this.plan = made;
    return made;
  }

  /** checkValue and the value's staging for a numeric rule's value, unboxed when it is a number. */
  private checkNumeric(slot: number, c: FeatureColumns, p: number): void {
    if (p < 0 || c.kinds[p] !== NUMBER) {
      this.checkOther(slot, c, p);
      return;
    }
    const x = c.numbers[p];
    const issue = checkNumber(this.rules[slot], x);
    if (issue !== NO_ISSUE) this.events.push(slot * N_ISSUES + issue);
    // NaN and ±Infinity (a JSON 1e999) are non_finite and reach the value windows as NaN.
    this.observeNumber(slot, issue === NON_FINITE ? NaN : x);
  }

  /** The same checks as check()'s object loop, for the value at position p of a lent record's columns. */
  private checkOther(slot: number, c: FeatureColumns, p: number): void {
    const rule = this.rules[slot];
    const v = valueAt(c, p);
    const type = rule.type;
    const issue = checkValue(rule, v);
    if (rule.type !== type) this.plan = undefined;
    if (issue !== NO_ISSUE) this.events.push(slot * N_ISSUES + issue);
    if (rule.type === 'numeric') this.observeNumber(slot, typeof v === 'number' && Number.isFinite(v) ? v : NaN);
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

  /** Stages a value (NaN: missing) for the slot's value windows. */
  private observeNumber(slot: number, v: number): void {
    if (this.values[slot] === undefined) this.createValueWindows(slot);
    const k = this.staged;
    this.stagedValues[slot]![k] = v;
    // The bins are 0 but where a value is missing (flush sets those back to 0).
    if (v !== v) {
      const bins = this.stagedBins[slot];
      if (bins !== undefined) bins[k] = MISSING_BIN;
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
    this.stagedValues[slot] = new Float64Array(this.stagedCapacity);
    this.stagedFrom[slot] = this.staged;
    if (times.length > 0) {
      this.timeValues[slot] = times;
      this.stagedBins[slot] = new Int32Array(this.stagedCapacity);
    }
    return ws;
  }

  /** `driftOf`: drift's count window of a feature and size, already saved (a value ring is saved against it: ring-against.ts). */
  snapshot(driftOf?: DriftWindowOf): SavedChecks {
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
      this.settings.specs.forEach((spec, w) => {
        const window = ws[w];
        byLabel[spec.label] = window instanceof CountValues ? window.snapshot(driftWindowFor(spec, known[slot], driftOf)) : window.snapshot();
      });
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
  restore(saved: SavedChecks, skip: SkipReport, driftOf?: DriftWindowOf): void {
    // Records checked before a restore went into the windows it replaces.
    this.flush();
    for (const rule of this.rules) rule.type ??= saved.types?.[rule.name];
    this.plan = undefined;
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
          const window = ws[w];
          if (window instanceof CountValues) window.restore(state, driftWindowFor(spec, name, driftOf));
          else window.restore(state);
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

/** Sorts a few issue kinds ascending, in place (insertion sort: a record has one or two). */
function sortKinds(kinds: number[]): void {
  for (let i = 1; i < kinds.length; i++) {
    const x = kinds[i];
    let j = i - 1;
    for (; j >= 0 && kinds[j] > x; j--) kinds[j + 1] = kinds[j];
    kinds[j + 1] = x;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
