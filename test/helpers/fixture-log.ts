/**
 * A deterministic generic-preset model log whose second half drifts: two numeric features and one
 * categorical, a prediction, latency, a few errors and a few malformed lines. Used by the golden
 * scrape and the integration tests.
 */
import { mulberry32 } from '../../src/stats/random.js';

export interface FixtureLog {
  lines: string[];
  referenceCsv: string;
}

export function fixtureLog(n = 400, seed = 7, start = Date.UTC(2026, 0, 1)): FixtureLog {
  const rand = mulberry32(seed);
  const lines: string[] = [];
  const colors = ['red', 'green', 'blue'];
  for (let i = 0; i < n; i++) {
    const drifted = i >= n / 2;
    const age = Math.round((30 + 10 * (rand() + rand() - 1) + (drifted ? 15 : 0)) * 10) / 10;
    const income = Math.round(1000 * (50 + 20 * rand()));
    const color = drifted && rand() < 0.5 ? 'purple' : colors[Math.floor(rand() * 3)];
    const failed = i % 50 === 49;
    const record = {
      timestamp: new Date(start + i * 1000).toISOString(),
      request_id: `req-${i}`,
      model: 'churn',
      model_version: 'v3',
      features: { age, income, color },
      prediction: Math.round((age / 100 + rand() * 0.2) * 1000) / 1000,
      latency_ms: i % 10 === 9 ? 300 : 20,
      status: failed ? 500 : 200,
      ...(failed ? { error: 'model_crashed' } : {}),
    };
    lines.push(JSON.stringify(record));
    if (i % 97 === 96) lines.push('{"truncated": ');
  }
  const ref = mulberry32(seed + 1);
  const rows = ['age,income,color,prediction'];
  for (let i = 0; i < 300; i++) {
    const age = Math.round((30 + 10 * (ref() + ref() - 1)) * 10) / 10;
    rows.push(`${age},${Math.round(1000 * (50 + 20 * ref()))},${colors[Math.floor(ref() * 3)]},${Math.round((age / 100 + ref() * 0.2) * 1000) / 1000}`);
  }
  return { lines, referenceCsv: rows.join('\n') + '\n' };
}
