/**
 * A synthetic churn model for the dashboard proof: a reference CSV drawn from the training
 * distribution, and generic-preset request and label lines whose second half drifts (age and
 * tenure shift, a new plan category appears, labels stop agreeing with predictions). Seeded, so
 * every run feeds the sidecar the same records. It also carries what makes the rarer panels
 * non-empty: missing values, failed requests, an unparseable line.
 */
import { mulberry32 } from '../../src/stats/random.js';

export const MODEL = 'churn';
export const VERSION = 'v1';
export const NUMERIC = ['age', 'income', 'tenure_months'] as const;
export const CATEGORICAL = ['plan', 'region'] as const;

interface Row {
  age: number | null;
  income: number;
  tenure_months: number;
  plan: string;
  region: string;
  score: number;
  prediction: number;
  label: number;
}

function pick(u: number, weights: Record<string, number>): string {
  let acc = 0;
  for (const [k, w] of Object.entries(weights)) {
    acc += w;
    if (u < acc) return k;
  }
  return Object.keys(weights).at(-1)!;
}

export class ChurnStream {
  private readonly random: () => number;
  private index = 0;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  private normal(mean: number, sd: number): number {
    // Box–Muller; 1 - u keeps log() away from 0.
    const u = 1 - this.random();
    const v = this.random();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  row(drifted: boolean): Row {
    const r = this.random;
    const age = drifted ? this.normal(58, 8) : this.normal(40, 10);
    const income = this.normal(52_000, 14_000);
    const tenure = drifted ? r() * 12 : r() * 72;
    const plan = drifted ? pick(r(), { basic: 0.2, pro: 0.25, premium: 0.15, enterprise: 0.4 }) : pick(r(), { basic: 0.5, pro: 0.35, premium: 0.15 });
    const region = pick(r(), { eu: 0.4, us: 0.4, apac: 0.2 });
    const z = -1.5 + 0.04 * (40 - age) + 0.03 * (36 - tenure) + (plan === 'basic' ? 0.8 : 0);
    const score = 1 / (1 + Math.exp(-z));
    const prediction = score >= 0.5 ? 1 : 0;
    // Concept drift: after the change the truth no longer follows the model's score.
    const label = drifted ? (r() < 0.5 ? 1 : 0) : r() < score ? 1 : 0;
    const missing = !drifted ? false : this.index % 20 === 0;
    this.index++;
    return { age: missing ? null : Math.round(age * 10) / 10, income: Math.round(income), tenure_months: Math.round(tenure), plan, region, score, prediction, label };
  }

  /** The reference CSV: training rows with the model's prediction and the true label. */
  referenceCsv(rows: number): string {
    const lines = ['age,income,tenure_months,plan,region,prediction,label'];
    for (let i = 0; i < rows; i++) {
      const x = this.row(false);
      lines.push([x.age, x.income, x.tenure_months, x.plan, x.region, x.prediction, x.label].join(','));
    }
    return `${lines.join('\n')}\n`;
  }
}

export interface LogBatch {
  requests: string[];
  labels: string[];
}

/**
 * `count` request lines from request number `first` on, timestamped `timestampSeconds`, with one
 * label line per request. Every 25th request fails; every 100th line is not JSON.
 */
export function logBatch(stream: ChurnStream, first: number, count: number, drifted: boolean, timestampSeconds: number): LogBatch {
  const requests: string[] = [];
  const labels: string[] = [];
  for (let i = first; i < first + count; i++) {
    const x = stream.row(drifted);
    const id = `req-${i}`;
    const failed = i % 25 === 24;
    const timestamp = new Date(timestampSeconds * 1000).toISOString();
    requests.push(
      JSON.stringify({
        timestamp,
        request_id: id,
        model: MODEL,
        model_version: VERSION,
        features: { age: x.age, income: x.income, tenure_months: x.tenure_months, plan: x.plan, region: x.region },
        prediction: x.prediction,
        scores: Math.round(x.score * 1e4) / 1e4,
        latency_ms: 8 + (i % 10) * 9 + (drifted ? 40 : 0),
        status: failed ? 503 : 200,
        ...(failed ? { error: 'upstream timeout' } : {}),
      }),
    );
    if (i % 100 === 99) requests.push('{"timestamp": not json');
    labels.push(JSON.stringify({ request_id: id, label: x.label, timestamp: new Date((timestampSeconds + 2) * 1000).toISOString() }));
  }
  return { requests, labels };
}

/** One KServe request CloudEvent whose response never comes: keeps modelwatch_pending_requests at 1. */
export function unansweredKServeRequest(timestampSeconds: number): string {
  return JSON.stringify({
    specversion: '1.0',
    id: 'pending-1',
    source: 'http://localhost:9081/',
    type: 'org.kubeflow.serving.inference.request',
    datacontenttype: 'application/json',
    time: new Date(timestampSeconds * 1000).toISOString(),
    inferenceservicename: MODEL,
    namespace: 'default',
    component: 'predictor',
    endpoint: '',
    data: { instances: [[41, 52_000, 24]] },
  });
}
