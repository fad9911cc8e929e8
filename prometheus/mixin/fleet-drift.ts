/**
 * Fleet-wide drift. Each replica only sees its share of the traffic, so its own drift scores are
 * noisy; these rules merge the per-bin observation counters of every replica of a deployment and
 * compare the merged proportions with the reference proportions, per (model, version, feature).
 */
import type { MixinConfig } from './config.js';
import { promql } from './promql.js';
import type { GroupSpec, RecordSpec } from './rules.js';

const WINDOWS = ['5m', '1h'] as const;
const EPSILON = '0.0001';

const HEADER = `
  Fleet-wide drift. Each replica only sees its share of the traffic, so its own drift scores are
  noisy; these rules merge the per-bin observation counters of every replica and compare the
  merged proportions with the reference proportions, per deployment, model, version and feature.

  The rules of a group run in order and each sees the results of the ones before it in the same
  evaluation, so the reference comes first and every window builds on its own intermediate series.

    c  current proportion of a bin      modelwatch:feature_bin_proportion:fleet_rate<w>
    r  reference proportion of a bin    modelwatch:feature_bin_reference_proportion:fleet_rate<w>

  Both are defined on the same bin set: every bin with observations or a reference proportion,
  with 0 where one side lacks the bin (a bin counter nobody incremented is simply absent). Only
  features with traffic in the window and a reference get proportions, so an idle feature has no
  drift score rather than a huge one.

  PSI = Σ (c − r) · ln(c / r), where a zero proportion is replaced by ε = 1e-4 exactly as the
  sidecar's PsiMethod does. \`(x > 0) or (x + 1e-4)\` replaces zeros only; clamp_min(x, 1e-4) would
  also lift proportions in (0, 1e-4) and drift slightly from the per-replica PSI.

  Jensen–Shannon divergence, base 2, exact: JSD = ½ Σ c · log2(c / m) + ½ Σ r · log2(r / m) with
  m = (c + r) / 2. A term with c = 0 (or r = 0) is 0 by the limit x · log x → 0, so each sum
  runs over the bins where its side is positive (\`c > 0\` filters the others out) and no ε is
  needed: m > 0 wherever that side is. The distance sqrt(JSD) is recorded too under the
  method's name (jensen_shannon), because that is what the sidecar's
  modelwatch_feature_drift_score{method="jensen_shannon"} reports (scipy's jensenshannon, base 2).`;

function windowRules(w: string, config: MixinConfig): RecordSpec[] {
  const p = promql(config);
  const feature = p.by('model', 'version', 'feature');
  const ref = 'modelwatch:feature_reference_proportion:max';
  const obs = `modelwatch:feature_bin_observations:fleet_rate${w}`;
  const c = `modelwatch:feature_bin_proportion:fleet_rate${w}`;
  const r = `modelwatch:feature_bin_reference_proportion:fleet_rate${w}`;
  const nonZero = (x: string) => `((${x} > 0) or (${x} + ${EPSILON}))`;
  const jsdHalf = (side: string) => `
    0.5 * sum by (${feature}) (
        (${side} > 0)
      *
        log2(
            (${side} > 0)
          /
            ((${c} + ${r}) / 2)
        )
    )`;
  return [
    { record: obs, expr: `sum by (${p.by('model', 'version', 'feature', 'bin')}) (rate(${p.sel('modelwatch_feature_bin_total')}[${w}]))`, comment: `--- ${w} window ---` },
    {
      record: c,
      expr: `
        (
            (
                ${obs}
              or
                0 * ${ref}
            )
            / ignoring (bin) group_left ()
            (sum by (${feature}) (${obs}) > 0)
        )
        and on (${feature})
        ${ref}
      `,
    },
    { record: r, expr: `(${ref} and ${c})\nor\n0 * ${c}\n` },
    {
      record: `modelwatch:feature_drift_psi:fleet_rate${w}`,
      expr: `
        sum by (${feature}) (
            (
                ${nonZero(c)}
              -
                ${nonZero(r)}
            )
          *
            ln(
                ${nonZero(c)}
              /
                ${nonZero(r)}
            )
        )
      `,
    },
    { record: `modelwatch:feature_drift_jensen_shannon_divergence:fleet_rate${w}`, expr: `${jsdHalf(c)}\n    +${jsdHalf(r)}\n` },
    {
      record: `modelwatch:feature_drift_jensen_shannon:fleet_rate${w}`,
      expr: `sqrt(clamp_min(modelwatch:feature_drift_jensen_shannon_divergence:fleet_rate${w}, 0))`,
      comment: 'Rounding can leave a tiny negative divergence for identical distributions.',
    },
  ];
}

export function fleetDriftRecording(config: MixinConfig): GroupSpec {
  const p = promql(config);
  return {
    name: 'modelwatch-fleet-drift',
    comment: HEADER,
    rules: [
      {
        record: 'modelwatch:feature_reference_proportion:max',
        expr: `max by (${p.by('model', 'version', 'feature', 'bin')}) (${p.sel('modelwatch_feature_reference_ratio')})`,
      },
      ...WINDOWS.flatMap((w) => windowRules(w, config)),
    ],
  };
}
