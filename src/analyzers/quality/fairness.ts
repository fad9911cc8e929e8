/**
 * Group fairness of a classifier's decisions over a window, for one protected attribute.
 * For each group g: selection rate SR_g = P(ŷ = fav | g) and true positive rate
 * TPR_g = P(ŷ = fav | y = fav, g).
 *
 * With a privileged group p (the rest pooled as unprivileged u), as AIF360's ClassificationMetric:
 *   demographic_parity_difference = SR_u − SR_p        (statistical_parity_difference)
 *   disparate_impact_ratio        = SR_u / SR_p        (disparate_impact; 1 is parity, < 0.8 the "four-fifths rule")
 *   equal_opportunity_difference  = TPR_u − TPR_p      (equal_opportunity_difference)
 * Without one, as fairlearn's between-groups forms, over the groups present:
 *   demographic_parity_difference = max SR − min SR,  disparate_impact_ratio = min SR / max SR,
 *   equal_opportunity_difference  = max TPR − min TPR (groups with at least one y = fav).
 * A metric whose denominators are empty is undefined (not reported).
 */

export interface FairnessResult {
  demographic_parity_difference?: number;
  disparate_impact_ratio?: number;
  equal_opportunity_difference?: number;
}

interface GroupCounts {
  n: number;
  selected: number;
  positives: number;
  truePositives: number;
}

/** `groups[i]` is the group code of record i (−1: none, skipped); yTrue/yPred are class indices. */
export function groupFairness(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  groups: ArrayLike<number>,
  favourable: number,
  privileged?: number,
): FairnessResult {
  const byGroup = new Map<number, GroupCounts>();
  const unprivileged: GroupCounts = { n: 0, selected: 0, positives: 0, truePositives: 0 };
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g < 0) continue;
    let c = byGroup.get(g);
    if (!c) byGroup.set(g, (c = { n: 0, selected: 0, positives: 0, truePositives: 0 }));
    const counts = privileged !== undefined && g !== privileged ? [c, unprivileged] : [c];
    const selected = yPred[i] === favourable ? 1 : 0;
    const positive = yTrue[i] === favourable ? 1 : 0;
    for (const k of counts) {
      k.n++;
      k.selected += selected;
      k.positives += positive;
      k.truePositives += selected * positive;
    }
  }
  const sr = (c: GroupCounts | undefined) => (c && c.n > 0 ? c.selected / c.n : undefined);
  const tpr = (c: GroupCounts | undefined) => (c && c.positives > 0 ? c.truePositives / c.positives : undefined);
  if (privileged !== undefined) {
    const p = byGroup.get(privileged);
    const srU = sr(unprivileged);
    const srP = sr(p);
    const tprU = tpr(unprivileged);
    const tprP = tpr(p);
    return {
      demographic_parity_difference: srU !== undefined && srP !== undefined ? srU - srP : undefined,
      disparate_impact_ratio: srU !== undefined && srP !== undefined && srP > 0 ? srU / srP : undefined,
      equal_opportunity_difference: tprU !== undefined && tprP !== undefined ? tprU - tprP : undefined,
    };
  }
  const rates = [...byGroup.values()].map(sr).filter((v): v is number => v !== undefined);
  const tprs = [...byGroup.values()].map(tpr).filter((v): v is number => v !== undefined);
  const spread = (v: number[]) => (v.length > 0 ? Math.max(...v) - Math.min(...v) : undefined);
  const maxRate = rates.length > 0 ? Math.max(...rates) : 0;
  return {
    demographic_parity_difference: spread(rates),
    disparate_impact_ratio: maxRate > 0 ? Math.min(...rates) / maxRate : undefined,
    equal_opportunity_difference: spread(tprs),
  };
}
