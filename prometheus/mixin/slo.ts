/**
 * Request SLOs (errors and latency) with multiwindow, multi-burn-rate alerts, after the Google SRE
 * workbook, chapter 5 "Alerting on SLOs" (table 5-8): a page when the budget burns 14.4× too fast
 * over 1h (confirmed over 5m) or 6× over 6h (confirmed over 30m); a ticket at 3× over 1d (2h) or
 * 1× over 3d (6h). The long window makes the alert significant, the short one makes it resolve soon
 * after the burn stops. Ratios are recorded per deployment (cluster, namespace, job), model and
 * version, summed over replicas.
 */
import { errorBudget, type BurnTier, type MixinConfig } from './config.js';
import { IN_NAMESPACE, percent, promql, seconds, sortedDurations } from './promql.js';
import type { AlertSpec, GroupSpec, RecordSpec, Severity } from './rules.js';

interface Slo {
  /** Alert name stem: Modelwatch<Name>BudgetBurn{Fast,Slow}. */
  name: 'Error' | 'Latency';
  ratio: (window: string) => string;
  objective: number;
  /** What a bad request is, for the prose. */
  bad: string;
}

const requestRate = (w: string) => `modelwatch:requests:rate${w}`;

function slos(config: MixinConfig): Slo[] {
  return [
    {
      name: 'Error',
      ratio: (w) => `modelwatch:request_errors:ratio_rate${w}`,
      objective: config.slo.errors.objective,
      bad: `failed (${config.slo.errors.badSelector})`,
    },
    {
      name: 'Latency',
      ratio: (w) => `modelwatch:request_latency_slo_errors:ratio_rate${w}`,
      objective: config.slo.latency.objective,
      bad: `took longer than ${config.slo.latency.thresholdBucket} s`,
    },
  ];
}

function windows(config: MixinConfig): string[] {
  return sortedDurations([...config.slo.page.windows, ...config.slo.ticket.windows].flatMap((w) => [w.long, w.short]));
}

export function sloRecording(config: MixinConfig): GroupSpec {
  const p = promql(config);
  const by = p.by('model', 'version');
  const bucket = p.sel('modelwatch_request_duration_seconds_bucket', `le="${config.slo.latency.thresholdBucket}"`);
  const rules: RecordSpec[] = [];
  for (const w of windows(config)) {
    rules.push({ record: requestRate(w), expr: `sum by (${by}) (rate(${p.sel('modelwatch_requests_total')}[${w}]))` });
    rules.push({
      record: `modelwatch:request_errors:ratio_rate${w}`,
      expr: `
        (
            sum by (${by}) (rate(${p.sel('modelwatch_requests_total', config.slo.errors.badSelector)}[${w}]))
          or
            0 * ${requestRate(w)}
        )
        /
        ${requestRate(w)}
      `,
    });
    rules.push({
      record: `modelwatch:request_latency_slo_errors:ratio_rate${w}`,
      expr: `
        1 - (
          sum by (${by}) (rate(${bucket}[${w}]))
          /
          sum by (${by}) (rate(${p.sel('modelwatch_request_duration_seconds_count')}[${w}]))
        )
      `,
    });
  }
  rules[0].comment = `
    Per window: requests per second, the share that failed, and the share slower than
    ${config.slo.latency.thresholdBucket} s (le="${config.slo.latency.thresholdBucket}" must be a bucket boundary of
    modelwatch_request_duration_seconds; any other value matches no series). prom-client creates the
    error series only on the first error, so the error numerator falls back to 0 × the request rate: a
    model without errors records 0, not nothing.`;
  return {
    name: 'modelwatch-slo',
    comment: `
      Request SLO ratios over every window the burn-rate alerts read (Google SRE workbook, "Alerting
      on SLOs"), summed over replicas per deployment, model and version.`,
    rules,
  };
}

/** `ratio_long > f·b and ratio_short > f·b and requests(long) ≥ min`, one arm per window pair. */
function burnExpr(slo: Slo, tier: BurnTier, config: MixinConfig): string {
  const budget = errorBudget(slo.objective);
  for (const w of tier.windows) {
    // The guard's promise: a single bad request never reaches a burn threshold on its own.
    if (config.slo.minRequests * w.factor * budget <= 1) {
      throw new Error(`slo.minRequests ${config.slo.minRequests} lets one bad request alone exceed ${w.factor} × ${budget} over ${w.long}: raise it above ${1 / (w.factor * budget)}`);
    }
  }
  const arms = tier.windows.map(
    (w) => `
      (
          ${slo.ratio(w.long)} > (${w.factor} * ${budget})
        and
          ${slo.ratio(w.short)} > (${w.factor} * ${budget})
        and
          ${requestRate(w.long)} * ${seconds(w.long)} >= ${config.slo.minRequests}
      )`,
  );
  return arms.join('\n      or');
}

function burnAlert(slo: Slo, speed: 'Fast' | 'Slow', tier: BurnTier, severity: Severity, config: MixinConfig): AlertSpec {
  const budget = errorBudget(slo.objective);
  const days = config.slo.periodDays;
  const pairs = tier.windows.map((w) => `${w.factor}× over ${w.long} (confirmed over ${w.short}, budget gone in ${Number((days / w.factor).toFixed(1))} days)`);
  return {
    alert: `Modelwatch${slo.name}BudgetBurn${speed}`,
    severity,
    team: 'platform',
    expr: burnExpr(slo, tier, config),
    for: tier.for,
    summary: `{{ $labels.model }} {{ $labels.version }} is burning its ${slo.name.toLowerCase()} budget ${speed === 'Fast' ? 'fast' : 'steadily'}`,
    description: `
      {{ $value | humanizePercentage }} of the requests to {{ $labels.model }} {{ $labels.version }}${IN_NAMESPACE} ${slo.bad} over the alert's long window, against an SLO of
      ${percent(slo.objective)} (budget ${percent(budget)} over ${days} days). Burn rates: ${pairs.join('; ')}.
      Fires only with at least ${config.slo.minRequests} requests in the long window.`,
  };
}

export function sloAlerts(config: MixinConfig): GroupSpec {
  const rules: AlertSpec[] = [];
  for (const slo of slos(config)) {
    rules.push(burnAlert(slo, 'Fast', config.slo.page, 'critical', config));
    rules.push(burnAlert(slo, 'Slow', config.slo.ticket, 'warning', config));
  }
  return {
    name: 'modelwatch-traffic',
    comment: `
      Multiwindow, multi-burn-rate alerts (SRE workbook table 5-8). Page (critical) at
      ${config.slo.page.windows.map((w) => `${w.factor}× over ${w.long} and ${w.short}`).join(', or ')}; ticket
      (warning) at ${config.slo.ticket.windows.map((w) => `${w.factor}× over ${w.long} and ${w.short}`).join(', or ')}.
      Minimum traffic: the long window must hold ${config.slo.minRequests} requests, so one failed request
      is at most ${percent(1 / config.slo.minRequests)} of it and can never cross a burn threshold alone.`,
    rules,
  };
}
