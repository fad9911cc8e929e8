/**
 * How FeatureChecks reads a lent record's typed columns (core/feature-columns.ts) for one key
 * sequence and the rules' types as they are: the slots of numeric rules, then of categorical
 * rules, then of rules whose type is not learned yet, each list with its column positions, so
 * each loop does one kind of check and no per-value test of the rule's type.
 *
 * Why: one loop over every slot, branching on the rule's type per value, with the value staged
 * through calls per value, was 6.5 % of the ingest's busy time (docs/performance.md).
 * A plan is made again only when the key sequence changes or a type is learned or restored.
 */
import type { FeatureRule } from './feature-rules.js';

export interface ColumnPlan {
  /** The positions (ColumnPositions.of) the plan was made for. */
  readonly at: Int32Array;
  /** Numeric rules: slot, column position (−1: not in the record), and range. */
  readonly numericSlots: Int32Array;
  readonly numericAt: Int32Array;
  /**
   * The rule's bounds, clamped to the finite doubles: `low <= x && x <= high` then holds for a
   * valid value only (NaN and ±Infinity fail it), so a value without issue costs one compare pair.
   */
  readonly low: Float64Array;
  readonly high: Float64Array;
  /** Categorical rules: slot, column position, and the rule's categories (undefined: any value). */
  readonly categoricalSlots: Int32Array;
  readonly categoricalAt: Int32Array;
  readonly categories: (Set<string> | undefined)[];
  /** Rules with no type yet (checkValue learns it): slot and position. */
  readonly untypedSlots: Int32Array;
  readonly untypedAt: Int32Array;
}

export function columnPlan(rules: readonly FeatureRule[], at: Int32Array): ColumnPlan {
  const numeric: number[] = [];
  const categorical: number[] = [];
  const untyped: number[] = [];
  rules.forEach((rule, slot) => (rule.type === 'numeric' ? numeric : rule.type === 'categorical' ? categorical : untyped).push(slot));
  const positions = (slots: number[]) => Int32Array.from(slots, (slot) => at[slot]);
  return {
    at,
    numericSlots: Int32Array.from(numeric),
    numericAt: positions(numeric),
    low: Float64Array.from(numeric, (slot) => Math.max(rules[slot].low, -Number.MAX_VALUE)),
    high: Float64Array.from(numeric, (slot) => Math.min(rules[slot].high, Number.MAX_VALUE)),
    categoricalSlots: Int32Array.from(categorical),
    categoricalAt: positions(categorical),
    categories: categorical.map((slot) => rules[slot].categories),
    untypedSlots: Int32Array.from(untyped),
    untypedAt: positions(untyped),
  };
}
